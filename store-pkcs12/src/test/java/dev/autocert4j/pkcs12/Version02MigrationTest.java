package dev.autocert4j.pkcs12;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.spi.StoreKeyFiles;
import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.CheckResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.spi.OwnerOnlyFiles;
import dev.autocert4j.spi.PluginSettings;
import dev.autocert4j.testkit.InMemoryChallengeResponder;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A state folder written by 0.2 (the fixture {@code state-0.2}, made by {@code WriteVersion02StateFolder}
 * with the store code of 0.2) opened by the folder store: migrated in place, once, atomically, the 0.2
 * files kept aside, and served with the same certificates; an AutoCert on it orders nothing.
 */
class Version02MigrationTest {

    private static final String PORTAL = "portal.example.com";
    private static final String ADMIN = "admin.example.com";
    private static final URI CA = URI.create("https://ca.test/dir");

    @TempDir
    Path folder;

    private Path state;
    private Path passwordFile;
    private Properties expected;
    /** The 0.2 store's own reading of an untouched copy of the fixture. */
    private Pkcs12CertificateStore pristine;
    private final ScheduledThreadPoolExecutor renewalExecutor = new ScheduledThreadPoolExecutor(1);

    @BeforeEach
    void copyTheFixture() throws Exception {
        Path fixture = Path.of(getClass().getResource("/state-0.2/expected.properties").toURI()).getParent();
        copyOwnerOnly(fixture, folder.resolve("0.2"));
        copyOwnerOnly(fixture, folder.resolve("pristine"));
        state = folder.resolve("0.2/state");
        passwordFile = folder.resolve("0.2/store.password");
        expected = new Properties();
        try (Reader reader = Files.newBufferedReader(fixture.resolve("expected.properties"))) {
            expected.load(reader);
        }
        pristine = Pkcs12CertificateStore.withPasswordFile(folder.resolve("pristine/state"),
                folder.resolve("pristine/store.password"));
    }

    @AfterEach
    void stopExecutor() {
        renewalExecutor.shutdownNow();
    }

    private CertificateStore open() {
        return new FolderStoreFactory().create(PluginSettings.of("folder", Map.of("folder", state.toString(),
                "password-file", passwordFile.toString(), "store-key-file", folder.resolve("store.key").toString())));
    }

    @Test
    void aVersion02FolderIsServedWithTheSameCertificatesEnrollmentsAndAccount() {
        CertificateStore store = open();

        assertThat(store.domains()).containsExactly(ADMIN, PORTAL);
        for (String domain : List.of(PORTAL, ADMIN)) {
            IssuedCertificate migrated = store.loadCertificate(domain).orElseThrow();
            assertThat(migrated.metadata().serialNumber()).isEqualTo(expected.getProperty(domain + ".serial"));
            assertThat(String.join(",", migrated.metadata().names())).isEqualTo(expected.getProperty(domain + ".names"));
            assertThat(migrated).as("chain, key and metadata as 0.2 reads them").isEqualTo(pristine.loadCertificate(domain).orElseThrow());
            assertThat(migrated.privateKey().getEncoded()).isEqualTo(pristine.loadCertificate(domain).orElseThrow().privateKey().getEncoded());
        }
        assertThat(store.loadEnrollments()).isEqualTo(new TreeMap<>(pristine.loadEnrollments())).hasSize(2);
        AcmeAccount account = store.loadAccount(CA).orElseThrow();
        assertThat(account).isEqualTo(pristine.loadAccount(CA).orElseThrow());
        assertThat(account.location()).hasToString(expected.getProperty("account.location"));
        assertThat(Base64.getEncoder().encodeToString(account.keyPair().getPublic().getEncoded()))
                .isEqualTo(expected.getProperty("account.publicKey"));
        assertThat(account.keyPair().getPrivate().getEncoded())
                .isEqualTo(pristine.loadAccount(CA).orElseThrow().keyPair().getPrivate().getEncoded());
    }

    @Test
    void theOldFilesAreKeptAsideOnlyOnceTheNewLayoutIsCompleteAndNothingReadsThemAgain() throws Exception {
        Map<String, String> before = hashes(state);

        open();

        assertThat(new FolderStorage(state).get(Version02Migration.MARKER)).isPresent();
        assertThat(state.resolve("certificates")).doesNotExist();
        assertThat(state.resolve("enrollments")).doesNotExist();
        assertThat(state.resolve("accounts")).doesNotExist();
        Path kept = state.resolve(Version02Migration.KEPT_FOLDER);
        for (Map.Entry<String, String> file : before.entrySet()) {
            if (!file.getKey().startsWith(".")) {
                assertThat(hash(kept.resolve(file.getKey()))).as("kept unchanged: " + file.getKey()).isEqualTo(file.getValue());
            }
        }
        assertThat(new FolderStorage(state).list("")).contains("certificates/" + PORTAL, "certificates/" + ADMIN,
                "enrollments/" + PORTAL, "enrollments/" + ADMIN, Version02Migration.MARKER);
    }

    @Test
    void itMigratesOnceWhatIsSavedAfterwardsIsNeverOverwrittenByTheOldFiles() {
        CertificateStore first = open();
        IssuedCertificate renewed = TestCertificates.issued(List.of(PORTAL, "www." + PORTAL),
                java.time.Instant.now(), java.time.Duration.ofDays(90));
        first.saveCertificate(renewed);

        assertThat(Version02Migration.migrateIfNeeded(new FolderStorage(state), StoreKeyFiles.readFrom(
                folder.resolve("store.key")), passwordFile)).isFalse();
        assertThat(open().loadCertificate(PORTAL)).contains(renewed);
    }

    @Test
    void aMigrationCutShortBeforeItsMarkerRunsAgainFromTheOldFiles() throws Exception {
        // what a crash leaves: some new entries written (one of them damaged), no marker, the 0.2 files in place
        FolderStorage storage = new FolderStorage(state);
        storage.put("certificates/" + PORTAL, "half a migration".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        CertificateStore store = open();

        assertThat(store.loadCertificate(PORTAL).orElseThrow().metadata().serialNumber())
                .isEqualTo(expected.getProperty(PORTAL + ".serial"));
        assertThat(store.loadCertificate(ADMIN)).isPresent();
        assertThat(storage.get(Version02Migration.MARKER)).isPresent();
    }

    @Test
    void withoutThe02PasswordNothingIsMigratedAndThe02FilesStayAsTheyWere() throws Exception {
        Map<String, String> before = hashes(state);
        passwordFile = folder.resolve("no-such.password");

        assertThatThrownBy(this::open).isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining(state.toString()).hasMessageContaining("password file")
                .hasMessageContaining("unchanged");
        Map<String, String> after = hashes(state);
        after.keySet().removeIf(name -> name.startsWith("."));
        before.keySet().removeIf(name -> name.startsWith("."));
        assertThat(after).isEqualTo(before);
    }

    @Test
    void anAutoCertOnTheMigratedFolderServesBothCertificatesAndOrdersNothing() {
        RecordingBindingProvider host = new RecordingBindingProvider("http://portal.example.com:8080",
                "https://admin.example.com:9443");
        // a CA that cannot be reached: any order would fail the check below
        try (AutoCert autoCert = AutoCert.builder().certificateAuthority(CertificateAuthority.at(URI.create("https://127.0.0.1:1/dir")))
                .bindingProvider(host).challengeResponder(new InMemoryChallengeResponder())
                .challengeResponder(ChallengeType.TLS_ALPN_01, new InMemoryChallengeResponder())
                .certificateStore(open()).renewalExecutor(renewalExecutor).build()) {

            assertThat(autoCert.resume()).containsExactlyInAnyOrder(PORTAL, ADMIN);
            assertThat(host.installed().get(Binding.parse("https://portal.example.com:8443")).metadata().serialNumber())
                    .isEqualTo(expected.getProperty(PORTAL + ".serial"));
            assertThat(host.installed().get(Binding.parse("https://admin.example.com:9443")).metadata().serialNumber())
                    .isEqualTo(expected.getProperty(ADMIN + ".serial"));

            CheckResult checked = autoCert.checkAll();
            assertThat(checked.succeeded()).as(checked.toString()).isTrue();
            assertThat(checked.outcomes()).extracting(CheckResult.Outcome::action).containsOnly(CheckResult.Action.KEPT);
            assertThat(checked.outcomes()).extracting(CheckResult.Outcome::condition).containsOnly(CheckResult.Condition.VALID);
        }
    }

    private static void copyOwnerOnly(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    OwnerOnlyFiles.createFolders(target);
                } else {
                    OwnerOnlyFiles.replace(target, Files.readAllBytes(path));
                }
            }
        }
    }

    private static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                hashes.put(root.relativize(path).toString(), hash(path));
            }
        }
        return hashes;
    }

    private static String hash(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
