package dev.autocert4j.pkcs12;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.testkit.CertificateStoreContract;
import dev.autocert4j.testkit.FileCreationTrace;
import dev.autocert4j.testkit.TestCertificates;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilderProvider;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pkcs12CertificateStoreTest extends CertificateStoreContract {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    @TempDir
    Path folder;

    @Override
    protected CertificateStore openStore() {
        return new Pkcs12CertificateStore(folder.resolve("state"), PASSWORD);
    }

    @Test
    void writesFilesReadableOnlyByTheOwner() throws Exception {
        Pkcs12CertificateStore store = (Pkcs12CertificateStore) openStore();
        store.saveCertificate(TestCertificates.issued("portal.example.com"));
        store.saveAccount(new AcmeAccount(URI.create("https://ca.test/dir"), KeyType.EC_P256.generate(), null));

        try (Stream<Path> paths = Files.walk(store.root())) {
            for (Path path : paths.toList()) {
                String expected = Files.isDirectory(path) ? "rwx------" : "rw-------";
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
                        .as(path.toString()).isEqualTo(expected);
            }
        }
    }

    @Test
    void noFileOrFolderIsReadableByAnotherUserEvenAtTheInstantItIsCreated() throws Exception {
        Path root = folder.resolve("state");
        try (FileCreationTrace trace = FileCreationTrace.start()) {
            Pkcs12CertificateStore store = new Pkcs12CertificateStore(root, PasswordFile.readOrCreate(root.resolve("store.password")));
            store.saveCertificate(TestCertificates.issued("portal.example.com"));
            store.saveAccount(new AcmeAccount(URI.create("https://ca.test/dir"), KeyType.EC_P256.generate(), null));
            store.saveEnrollment("portal.example.com", java.util.Map.of("binding", "http://portal.example.com:80"));
            store.loadAllMetadata(java.util.List.of("portal.example.com")); // writes the store index

            var created = trace.stop().assertOwnerOnlyUnder(root);
            assertThat(created).extracting(event -> event.path().getFileName().toString())
                    .anyMatch(name -> name.startsWith(".portal.example.com.p12."))
                    .anyMatch(name -> name.startsWith(".store.password."))
                    .anyMatch(name -> name.startsWith(".store.index."))
                    .contains("state", "certificates", "accounts", "enrollments");
        }
    }

    @Test
    void leavesNoTemporaryFilesBehind() throws Exception {
        Pkcs12CertificateStore store = (Pkcs12CertificateStore) openStore();
        store.saveCertificate(TestCertificates.issued("portal.example.com"));
        store.saveCertificate(TestCertificates.issued("portal.example.com"));

        try (Stream<Path> files = Files.list(store.root().resolve("certificates"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("portal.example.com.p12", "portal.example.com.properties");
        }
    }

    @Test
    void temporaryFilesACrashedWriterLeftAreRemovedByTheFirstSave() throws Exception {
        Path certificates = Files.createDirectories(folder.resolve("state").resolve("certificates"));
        Path leftover = Files.writeString(certificates.resolve(".portal.example.com.p12.1234.tmp"), "half written");

        openStore().saveCertificate(TestCertificates.issued("www.example.com"));

        assertThat(leftover).doesNotExist();
    }

    @Test
    void theCertificateFileIsAStandardPkcs12KeyStore() throws Exception {
        Pkcs12CertificateStore store = (Pkcs12CertificateStore) openStore();
        IssuedCertificate saved = TestCertificates.issued("portal.example.com");
        store.saveCertificate(saved);

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.certificateFile("portal.example.com").toFile())) {
            keyStore.load(in, PASSWORD);
        }
        assertThat(keyStore.getCertificate(Pkcs12CertificateStore.ALIAS)).isEqualTo(saved.leaf());
    }

    @Test
    void theKeyIsUnderPbes2WithAes256AndTheWholeFileUnderAnHmacSha256MacThatBouncyCastleVerifies() throws Exception {
        Pkcs12CertificateStore store = (Pkcs12CertificateStore) openStore();
        IssuedCertificate saved = TestCertificates.issued("portal.example.com");
        store.saveCertificate(saved);
        PKCS12PfxPdu pdu = new PKCS12PfxPdu(Files.readAllBytes(store.certificateFile("portal.example.com")));

        assertThat(pdu.getMacAlgorithmID().getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_sha256);
        assertThat(pdu.toASN1Structure().getMacData().getIterationCount().intValue()).isEqualTo(Pkcs12Files.ITERATIONS);
        assertThat(pdu.isMacValid(new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE), PASSWORD))
                .isTrue();
        assertThat(pdu.isMacValid(new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE),
                "wrong".toCharArray())).isFalse();
        PKCS8EncryptedPrivateKeyInfo shrouded = Stream.of(pdu.getContentInfos())
                .flatMap(info -> Stream.of(new PKCS12SafeBagFactory(info).getSafeBags()))
                .filter(bag -> bag.getBagValue() instanceof PKCS8EncryptedPrivateKeyInfo)
                .map(bag -> (PKCS8EncryptedPrivateKeyInfo) bag.getBagValue()).findFirst().orElseThrow();
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(shrouded.getEncryptionAlgorithm().getParameters());
        assertThat(shrouded.getEncryptionAlgorithm().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_PBES2);
        assertThat(pbes2.getEncryptionScheme().getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_aes256_CBC);
        assertThat(PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters()).getIterationCount())
                .isEqualTo(Pkcs12Files.ITERATIONS);
        assertThat(shrouded.decryptPrivateKeyInfo(new JcePKCSPBEInputDecryptorProviderBuilder()
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build(PASSWORD))
                .getEncoded()).isEqualTo(saved.privateKey().getEncoded());
    }

    @Test
    void eachFileGetsItsOwnIvAndMacSalt() throws Exception {
        Pkcs12CertificateStore store = (Pkcs12CertificateStore) openStore();
        IssuedCertificate saved = TestCertificates.issued("portal.example.com");
        store.saveCertificate(saved);
        byte[] first = Files.readAllBytes(store.certificateFile("portal.example.com"));
        store.saveCertificate(saved);
        byte[] second = Files.readAllBytes(store.certificateFile("portal.example.com"));

        assertThat(new PKCS12PfxPdu(second).toASN1Structure().getMacData().getSalt())
                .isNotEqualTo(new PKCS12PfxPdu(first).toASN1Structure().getMacData().getSalt());
        assertThat(second).as("the same key encrypted under another IV").isNotEqualTo(first);
    }

    @Test
    void aWrongPasswordIsAClearErrorAndTheFileIsUntouched() throws Exception {
        openStore().saveCertificate(TestCertificates.issued("portal.example.com"));
        Path file = ((Pkcs12CertificateStore) openStore()).certificateFile("portal.example.com");
        byte[] before = Files.readAllBytes(file);

        Pkcs12CertificateStore wrong = new Pkcs12CertificateStore(folder.resolve("state"), "wrong".toCharArray());

        assertThatThrownBy(() -> wrong.loadCertificate("portal.example.com"))
                .isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("password is wrong");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void keepsTheAccountsContactsAndAcceptedTerms() {
        URI directory = URI.create("https://ca.test/dir");
        AcmeAccount account = new AcmeAccount(directory, KeyType.EC_P256.generate(), URI.create("https://ca.test/acct/1"),
                java.util.List.of("admin@example.com", "ops@example.com"), URI.create("https://ca.test/terms-v1"));

        openStore().saveAccount(account);

        assertThat(openStore().loadAccount(directory)).contains(account);
    }

    @Test
    void anAccountFileOfBefore020WithoutContactsOrTermsStillLoads() throws Exception {
        URI directory = URI.create("https://ca.test/dir");
        AcmeAccount old = new AcmeAccount(directory, KeyType.EC_P256.generate(), URI.create("https://ca.test/acct/1"));
        openStore().saveAccount(old);
        Path file;
        try (var files = Files.list(folder.resolve("state").resolve("accounts"))) {
            file = files.filter(path -> path.toString().endsWith(".account")).findFirst().orElseThrow();
        }
        java.util.Properties written = new java.util.Properties();
        try (var in = Files.newInputStream(file)) {
            written.load(in);
        }
        assertThat(written.stringPropertyNames()).as("the keys 0.2.0 files have, no more")
                .containsExactlyInAnyOrder("directory", "location", "keyAlgorithm", "publicKey", "privateKey");

        AcmeAccount loaded = openStore().loadAccount(directory).orElseThrow();

        assertThat(loaded).isEqualTo(old);
        assertThat(loaded.contacts()).isEmpty();
        assertThat(loaded.acceptedTermsOfService()).isEmpty();
    }

    @Test
    void aWrongPasswordForTheAccountIsAClearError() {
        URI directory = URI.create("https://ca.test/dir");
        openStore().saveAccount(new AcmeAccount(directory, KeyType.EC_P256.generate(), null));

        Pkcs12CertificateStore wrong = new Pkcs12CertificateStore(folder.resolve("state"), "wrong".toCharArray());

        assertThatThrownBy(() -> wrong.loadAccount(directory))
                .isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining("password is wrong");
    }

    @Test
    void aTruncatedFileIsAClearErrorAndIsNotOverwrittenByLoading() throws Exception {
        openStore().saveCertificate(TestCertificates.issued("portal.example.com"));
        Path file = ((Pkcs12CertificateStore) openStore()).certificateFile("portal.example.com");
        byte[] truncated = Arrays.copyOf(Files.readAllBytes(file), 100);
        Files.write(file, truncated);

        assertThatThrownBy(() -> openStore().loadCertificate("portal.example.com"))
                .isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining("damaged");
        assertThat(Files.readAllBytes(file)).isEqualTo(truncated);
    }

    @Test
    void aForeignKeyStoreIsAClearErrorAndIsLeftAsItIs() throws Exception {
        Pkcs12CertificateStore store = (Pkcs12CertificateStore) openStore();
        store.saveCertificate(TestCertificates.issued("portal.example.com"));
        Path file = store.certificateFile("portal.example.com");
        KeyStore foreign = KeyStore.getInstance("PKCS12");
        foreign.load(null, null);
        foreign.setCertificateEntry("someone-else", TestCertificates.issued("other.example.com").leaf());
        try (var out = Files.newOutputStream(file)) {
            foreign.store(out, PASSWORD);
        }
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> openStore().loadCertificate("portal.example.com"))
                .isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining("holds no 'certificate' key entry")
                .hasMessageContaining("left as it is");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void metadataOfAnotherCertificateIsIgnoredAndRebuiltFromTheCertificate() throws Exception {
        Pkcs12CertificateStore store = (Pkcs12CertificateStore) openStore();
        IssuedCertificate older = TestCertificates.issued("portal.example.com");
        store.saveCertificate(older);
        Path metadata = store.root().resolve("certificates/portal.example.com.properties");
        byte[] olderMetadata = Files.readAllBytes(metadata);
        IssuedCertificate newer = TestCertificates.issued("portal.example.com");
        store.saveCertificate(newer);
        Files.write(metadata, olderMetadata); // as if the process died between the two writes

        IssuedCertificate loaded = openStore().loadCertificate("portal.example.com").orElseThrow();

        assertThat(openStore().loadMetadata("portal.example.com").orElseThrow().serialNumber())
                .as("the fast path notices the stale metadata too").isEqualTo(newer.metadata().serialNumber());
        assertThat(loaded.metadata().serialNumber()).isEqualTo(newer.metadata().serialNumber());
        assertThat(loaded.metadata().notAfter()).isEqualTo(newer.metadata().notAfter());
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(newer.privateKey().getEncoded());
    }

    @Test
    void rejectsAnEmptyPasswordAndDomainsThatAreNotDnsNames() {
        assertThatThrownBy(() -> new Pkcs12CertificateStore(folder, new char[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("password");
        assertThatThrownBy(() -> openStore().loadCertificate("../../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'../../etc/passwd' is not a DNS name");
    }

    @Test
    void keepsCertificatesAndEnrollmentsForIpAddressesUnderFileNamesEveryFileSystemTakes() throws Exception {
        Pkcs12CertificateStore store = (Pkcs12CertificateStore) openStore();
        IssuedCertificate ipv6 = dev.autocert4j.testkit.TestCertificates.issued("0:0:0:0:0:0:0:1");
        store.saveCertificate(ipv6);
        store.saveCertificate(dev.autocert4j.testkit.TestCertificates.issued("192.0.2.7"));
        store.saveEnrollment("0:0:0:0:0:0:0:1", java.util.Map.of("binding", "http://[::1]:80"));

        assertThat(store.domains()).containsExactlyInAnyOrder("0:0:0:0:0:0:0:1", "192.0.2.7");
        assertThat(store.loadCertificate("0:0:0:0:0:0:0:1").orElseThrow().metadata()).isEqualTo(ipv6.metadata());
        assertThat(store.loadEnrollments()).containsKey("0:0:0:0:0:0:0:1");
        assertThat(store.certificateFile("0:0:0:0:0:0:0:1").getFileName().toString()).isEqualTo("0_0_0_0_0_0_0_1.p12");
    }

    @Test
    void metadataReadBeforeIsNotTrustedOnceAnotherProcessReplacedOrEditedTheFiles() throws Exception {
        Pkcs12CertificateStore reader = (Pkcs12CertificateStore) openStore();
        Pkcs12CertificateStore writer = (Pkcs12CertificateStore) openStore();
        writer.saveCertificate(TestCertificates.issued("portal.example.com"));
        assertThat(reader.loadMetadata("portal.example.com")).isPresent();

        IssuedCertificate renewed = TestCertificates.issued("portal.example.com");
        writer.saveCertificate(renewed);
        assertThat(reader.loadMetadata("portal.example.com")).contains(renewed.metadata());

        Path sidecar = folder.resolve("state/certificates/portal.example.com.properties");
        java.nio.file.attribute.FileTime before = java.nio.file.Files.getLastModifiedTime(sidecar);
        String edited = java.nio.file.Files.readString(sidecar).replace("notAfter=2", "notAfter=3");
        java.nio.file.Files.writeString(sidecar, edited);
        java.nio.file.Files.setLastModifiedTime(sidecar, before);
        assertThat(reader.loadMetadata("portal.example.com").orElseThrow().notAfter())
                .as("an edit in place, size and time kept, is never believed").isEqualTo(renewed.metadata().notAfter());

        writer.deleteCertificate("portal.example.com");
        assertThat(reader.loadMetadata("portal.example.com")).isEmpty();
    }
}
