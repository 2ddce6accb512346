package dev.autocert4j;

import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.spi.RenewalPolicy;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plugins found through {@code META-INF/services}, one class loader per scenario. */
class PluginsTest {

    @TempDir
    Path folder;

    /** A binding provider plugin. */
    public static final class PortalBindings implements BindingProvider {
        @Override
        public List<Binding> bindings() {
            return List.of(Binding.parse("http://plugin.example.com:80"));
        }

        @Override
        public InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
            return InstallResult.RESTART_REQUIRED;
        }
    }

    /** A second binding provider plugin, to clash with the first. */
    public static final class OtherBindings implements BindingProvider {
        @Override
        public List<Binding> bindings() {
            return List.of();
        }

        @Override
        public InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
            return InstallResult.LIVE;
        }
    }

    /** A renewal policy plugin that cannot be created. */
    public static final class BrokenPolicy implements RenewalPolicy {
        public BrokenPolicy() {
            throw new IllegalStateException("no configuration file");
        }

        @Override
        public Instant renewalTime(CertificateMetadata certificate) {
            return certificate.notAfter();
        }

        @Override
        public Duration checkInterval(CertificateMetadata certificate) {
            return Duration.ofHours(1);
        }
    }

    private ClassLoader pluginsFor(Class<?> service, Class<?>... implementations) throws Exception {
        Path services = Files.createDirectories(folder.resolve("META-INF/services"));
        StringBuilder lines = new StringBuilder();
        for (Class<?> implementation : implementations) {
            lines.append(implementation.getName()).append('\n');
        }
        Files.writeString(services.resolve(service.getName()), lines);
        return new URLClassLoader(new URL[]{folder.toUri().toURL()}, getClass().getClassLoader());
    }

    private static AutoCert.Builder builderWithoutBindings() {
        return AutoCert.builder()
                .certificateAuthority(CertificateAuthority.at(URI.create("https://ca.example.com/dir")))
                .challengeSolver(new InMemoryChallengeSolver())
                .certificateStore(new InMemoryCertificateStore());
    }

    @Test
    void aPluginFillsThePartTheHostDidNotSet() throws Exception {
        AutoCert autoCert = builderWithoutBindings()
                .loadPlugins(pluginsFor(BindingProvider.class, PortalBindings.class))
                .build();

        assertThat(autoCert.bindings()).containsExactly(Binding.parse("http://plugin.example.com:80"));
        assertThat(autoCert.renewalPolicy().checkInterval(new CertificateMetadata("a.example.com", Instant.EPOCH,
                Instant.EPOCH, Instant.EPOCH.plus(Duration.ofDays(90)), "1", "CN=CA", null, null)))
                .as("no policy plugin: the standard policy").isEqualTo(Duration.ofHours(24));
    }

    @Test
    void aPartSetOnTheBuilderWinsOverAPlugin() throws Exception {
        BindingProvider mine = new OtherBindings();

        AutoCert autoCert = builderWithoutBindings().bindingProvider(mine)
                .loadPlugins(pluginsFor(BindingProvider.class, PortalBindings.class))
                .build();

        assertThat(autoCert.bindings()).isEmpty();
    }

    @Test
    @SuppressWarnings("removal")
    void aPluginRegisteredUnderThe01NameIsStillFound() throws Exception {
        AutoCert autoCert = builderWithoutBindings()
                .loadPlugins(pluginsFor(dev.autocert4j.BindingProvider.class, OldNamedBindings.class))
                .build();

        assertThat(autoCert.bindings()).containsExactly(Binding.parse("http://old.example.com:80"));
    }

    /** A host's provider written against 0.1, implementing the interface under its old name. */
    @SuppressWarnings("removal")
    public static final class OldNamedBindings implements dev.autocert4j.BindingProvider {
        @Override
        public List<Binding> bindings() {
            return List.of(Binding.parse("http://old.example.com:80"));
        }

        @Override
        public InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
            return InstallResult.LIVE;
        }
    }

    @Test
    void twoPluginsForOnePartAreAnErrorNamingBoth() throws Exception {
        ClassLoader loader = pluginsFor(BindingProvider.class, PortalBindings.class, OtherBindings.class);

        assertThatThrownBy(() -> builderWithoutBindings().loadPlugins(loader))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 plugins claim dev.autocert4j.spi.BindingProvider")
                .hasMessageContaining(PortalBindings.class.getName())
                .hasMessageContaining(OtherBindings.class.getName());
    }

    @Test
    void aPluginThatCannotBeCreatedIsNamed() throws Exception {
        ClassLoader loader = pluginsFor(RenewalPolicy.class, BrokenPolicy.class);

        assertThatThrownBy(() -> builderWithoutBindings().bindingProvider(new OtherBindings()).loadPlugins(loader))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(BrokenPolicy.class.getName())
                .hasMessageContaining("cannot be created");
    }

    @Test
    void withoutAnyPluginTheMissingPartIsNamed() throws Exception {
        ClassLoader loader = pluginsFor(CertificateStore.class);

        assertThatThrownBy(() -> builderWithoutBindings().loadPlugins(loader).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bindingProvider is required")
                .hasMessageContaining("loadPlugins");
    }
}
