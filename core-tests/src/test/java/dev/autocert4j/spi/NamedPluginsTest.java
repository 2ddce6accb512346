package dev.autocert4j.spi;

import dev.autocert4j.AutoCert;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plugins chosen by name, as a command line or properties file names them; one class loader per scenario. */
class NamedPluginsTest {

    @TempDir
    Path folder;

    /** The settings the last {@link MemoryStores} was made with. */
    static volatile PluginSettings lastSettings;

    /** A store factory named "memory" that reads "capacity". */
    public static final class MemoryStores implements CertificateStoreFactory {
        @Override
        public String name() {
            return "memory";
        }

        @Override
        public Set<String> settings() {
            return Set.of("capacity");
        }

        @Override
        public CertificateStore create(PluginSettings settings) {
            lastSettings = settings;
            settings.integer("capacity", 10, 1, 1000);
            return new InMemoryCertificateStore();
        }
    }

    /** Another store factory that claims the same name. */
    public static final class OtherMemoryStores implements CertificateStoreFactory {
        @Override
        public String name() {
            return "memory";
        }

        @Override
        public Set<String> settings() {
            return Set.of();
        }

        @Override
        public CertificateStore create(PluginSettings settings) {
            return new InMemoryCertificateStore();
        }
    }

    /** A DNS-01 solver factory that needs a "server". */
    public static final class TestDns implements ChallengeSolverFactory {
        @Override
        public String name() {
            return "test-dns";
        }

        @Override
        public ChallengeType challengeType() {
            return ChallengeType.DNS_01;
        }

        @Override
        public Set<String> settings() {
            return Set.of("server");
        }

        @Override
        public ChallengeSolver create(PluginSettings settings) {
            settings.required("server");
            return new InMemoryChallengeSolver(ChallengeType.DNS_01);
        }
    }

    /** A second DNS-01 solver factory. */
    public static final class OtherDns implements ChallengeSolverFactory {
        @Override
        public String name() {
            return "other-dns";
        }

        @Override
        public ChallengeType challengeType() {
            return ChallengeType.DNS_01;
        }

        @Override
        public Set<String> settings() {
            return Set.of();
        }

        @Override
        public ChallengeSolver create(PluginSettings settings) {
            return new InMemoryChallengeSolver(ChallengeType.DNS_01);
        }
    }

    /** A factory that says DNS-01 and makes an HTTP-01 solver. */
    public static final class Mislabelled implements ChallengeSolverFactory {
        @Override
        public String name() {
            return "mislabelled";
        }

        @Override
        public ChallengeType challengeType() {
            return ChallengeType.DNS_01;
        }

        @Override
        public Set<String> settings() {
            return Set.of();
        }

        @Override
        public ChallengeSolver create(PluginSettings settings) {
            return new InMemoryChallengeSolver(ChallengeType.HTTP_01);
        }
    }

    private ClassLoader plugins(Map<Class<?>, String> services) throws Exception {
        Path meta = Files.createDirectories(folder.resolve("META-INF/services"));
        for (Map.Entry<Class<?>, String> service : services.entrySet()) {
            Files.writeString(meta.resolve(service.getKey().getName()), service.getValue());
        }
        return new URLClassLoader(new URL[]{folder.toUri().toURL()}, getClass().getClassLoader());
    }

    private ClassLoader memoryAndDns() throws Exception {
        return plugins(Map.of(CertificateStoreFactory.class, MemoryStores.class.getName() + "\n",
                ChallengeSolverFactory.class, TestDns.class.getName() + "\n"));
    }

    private static AutoCert.Builder builder() {
        return AutoCert.builder().certificateAuthority(CertificateAuthority.at(URI.create("https://ca.example.com/dir")))
                .bindingProvider(new RecordingBindingProvider("http://portal.example.com:80"));
    }

    @Test
    void theStoreAndTheResponderAreChosenByNameEachWithItsOwnSettings() throws Exception {
        AutoCert autoCert = builder().plugins(memoryAndDns(), Map.of("store", "memory", "memory.capacity", "5",
                "challenge", "test-dns", "test-dns.server", "ns1.example.com")).build();

        assertThat(autoCert).isNotNull();
        assertThat(lastSettings.keys()).containsExactly("capacity");
        assertThat(autoCert.chooseChallenge(java.util.List.of("*.example.com"))).isEqualTo(ChallengeType.DNS_01);
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownNames() throws Exception {
        ClassLoader loader = memoryAndDns();

        assertThatThrownBy(() -> builder().plugins(loader, Map.of("store", "s3")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("s3").hasMessageMatching("(?s).*the known ones are [^;]*\\bmemory\\b.*");
    }

    @Test
    void twoPluginsWithOneNameAreAnErrorNamingBothClasses() throws Exception {
        ClassLoader loader = plugins(Map.of(CertificateStoreFactory.class,
                MemoryStores.class.getName() + "\n" + OtherMemoryStores.class.getName() + "\n"));

        assertThatThrownBy(() -> NamedPlugins.find(CertificateStoreFactory.class, "memory", loader))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Two plugins are named 'memory'")
                .hasMessageContaining(MemoryStores.class.getName()).hasMessageContaining(OtherMemoryStores.class.getName());
    }

    @Test
    void aSettingNoChosenPluginReadsIsRefusedAsATypoWithoutItsValue() throws Exception {
        ClassLoader loader = memoryAndDns();

        assertThatThrownBy(() -> builder().plugins(loader, Map.of("store", "memory", "memory.capasity", "5")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("capasity").hasMessageContaining("it reads capacity");
        assertThatThrownBy(() -> builder().plugins(loader, Map.of("store", "memory", "jdbc.password", "hunter2")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("jdbc.password").hasMessageContaining("read by no chosen plugin")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void aMissingOrWrongSettingIsNamedBeforeAnythingIsBuilt() throws Exception {
        ClassLoader loader = memoryAndDns();

        assertThatThrownBy(() -> builder().plugins(loader, Map.of("challenge", "test-dns")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("server").hasMessageContaining("is required by the test-dns plugin");
        assertThatThrownBy(() -> builder().plugins(loader, Map.of("store", "memory", "memory.capacity", "lots")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("capacity").hasMessageContaining("is not a whole number");
    }

    @Test
    void withoutPluginsOnTheClassPathTheNameIsRefusedSayingSo() {
        ClassLoader nothing = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());

        assertThatThrownBy(() -> NamedPlugins.find(CertificateStoreFactory.class, "pkcs12", nothing))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("none (is its jar on the class path?)");
    }

    @Test
    void twoSolversChosenForOneChallengeTypeAreAnErrorNamingBoth() throws Exception {
        ClassLoader loader = plugins(Map.of(ChallengeSolverFactory.class, TestDns.class.getName() + "\n"
                + OtherDns.class.getName() + "\n"));

        assertThatThrownBy(() -> builder().plugins(loader, Map.of("challenge", "test-dns,other-dns",
                "test-dns.server", "ns1.example.com")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("names two solvers for dns-01: test-dns and other-dns");
    }

    @Test
    void aFactoryWhoseSolverIsOfAnotherTypeThanItSaysIsRefusedNamingIt() throws Exception {
        ClassLoader loader = plugins(Map.of(ChallengeSolverFactory.class, Mislabelled.class.getName() + "\n"));

        assertThatThrownBy(() -> builder().plugins(loader, Map.of("challenge", "mislabelled")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Mislabelled.class.getName())
                .hasMessageContaining("says it makes dns-01 solvers but made");
    }
}
