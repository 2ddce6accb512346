package dev.autocert4j.pkcs12;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.testkit.TestCertificateAuthority;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.engines.RC2Engine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.bc.BcPKCS12PBEOutputEncryptorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Base64;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a hostile or careless neighbour on the same machine can do to the store's folder, and what the store does about it. */
class Pkcs12StoreHostileInputTest {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final String DOMAIN = "portal.example.com";
    private static final TestCertificateAuthority CA = new TestCertificateAuthority("Store test CA");
    private static final URI DIRECTORY = URI.create("https://ca.test/dir");

    @TempDir
    Path folder;

    private Path root;
    private IssuedCertificate saved;

    @BeforeEach
    void saveOne() {
        root = folder.resolve("state");
        saved = CA.issue(DOMAIN);
        store().saveCertificate(saved);
    }

    private Pkcs12CertificateStore store() {
        return new Pkcs12CertificateStore(root, PASSWORD);
    }

    private Path sidecar() {
        return root.resolve("certificates/portal.example.com.properties");
    }

    @Test
    void aSymlinkedLockFileIsRefusedAndNothingIsCreatedWhereItPoints() throws Exception {
        Path elsewhere = folder.resolve("elsewhere/created-by-the-store");
        Files.createDirectories(elsewhere.getParent());
        Files.delete(root.resolve(".lock"));
        Files.createSymbolicLink(root.resolve(".lock"), elsewhere);

        assertThatThrownBy(() -> store().saveCertificate(CA.issue(DOMAIN)))
                .isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining(".lock is a symbolic link, which this store never creates; remove it");

        assertThat(elsewhere).doesNotExist();
        assertThat(store().loadCertificate(DOMAIN).orElseThrow().leaf()).isEqualTo(saved.leaf());
    }

    @Test
    void aStoreFolderOthersMayWriteToIsRefused() throws Exception {
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> store().loadCertificate(DOMAIN))
                .isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining("The store folder " + root + " is not safe to keep keys in")
                .hasMessageContaining("other users may write to it (permissions rwxrwxrwx)")
                .hasMessageContaining("chmod 700 " + root);
        assertThatThrownBy(() -> store().saveCertificate(CA.issue(DOMAIN))).isInstanceOf(CertificateStoreException.class);

        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        assertThat(store().loadCertificate(DOMAIN).orElseThrow().leaf()).as("nothing was changed").isEqualTo(saved.leaf());
    }

    @Test
    void aStoreFolderOwnedByAnotherUserIsRefused() {
        String user = System.getProperty("user.name");
        System.setProperty("user.name", "someone-else");
        try {
            assertThatThrownBy(() -> store().loadMetadata(DOMAIN))
                    .isInstanceOf(CertificateStoreException.class)
                    .hasMessageContaining("it belongs to the user '" + user + "', not to 'someone-else'");
        } finally {
            System.setProperty("user.name", user);
        }
    }

    @Test
    void anEditedExpiryIsNotBelievedAndTheMetadataFileIsWrittenAnew() throws Exception {
        String text = Files.readString(sidecar());
        String forged = text.replaceAll("notAfter=.*", "notAfter=2099-01-01T00\\\\:00\\\\:00Z");
        assertThat(forged).isNotEqualTo(text);
        Files.writeString(sidecar(), forged);

        CertificateMetadata metadata = store().loadMetadata(DOMAIN).orElseThrow();

        assertThat(metadata.notAfter()).isEqualTo(saved.metadata().notAfter());
        // the forged line, not just "2099": the file's hex digests may hold those digits by chance
        assertThat(Files.readString(sidecar())).doesNotContain("notAfter=2099").contains("hmac=");
        assertThat(store().loadMetadata(DOMAIN).orElseThrow().notAfter()).isEqualTo(saved.metadata().notAfter());
    }

    @Test
    void aDamagedMetadataFileIsIgnoredAndWrittenAnewNeverThrowingAParseError() throws Exception {
        String text = Files.readString(sidecar());
        for (String damaged : new String[]{
                text.replaceAll("issuedAt=.*\n", ""),
                text.replaceAll("issuedAt=.*", "issuedAt=yesterday"),
                text.replaceAll("names=.*", "names=\\\\uZZZZ"),
                "\u0000\u00ff garbage",
                ""}) {
            Files.writeString(sidecar(), damaged);

            CertificateMetadata metadata = store().loadMetadata(DOMAIN).orElseThrow();

            assertThat(metadata.serialNumber()).isEqualTo(saved.metadata().serialNumber());
            assertThat(metadata.notAfter()).isEqualTo(saved.metadata().notAfter());
            assertThat(metadata.issuedAt()).as("the certificate's own start of validity stands in").isEqualTo(
                    saved.metadata().notBefore());
            assertThat(Files.readString(sidecar())).contains("hmac=");
        }
    }

    @Test
    void newFilesUsePbkdf2WithHmacSha256AndAes256WhateverTheJvmSays() throws Exception {
        String legacy = System.getProperty("keystore.pkcs12.legacy");
        System.setProperty("keystore.pkcs12.legacy", "true");
        try {
            store().saveCertificate(CA.issue(DOMAIN));
            store().saveAccount(new AcmeAccount(DIRECTORY, KeyType.EC_P256.generate(), URI.create("https://ca.test/acct/1")));
        } finally {
            if (legacy == null) {
                System.clearProperty("keystore.pkcs12.legacy");
            } else {
                System.setProperty("keystore.pkcs12.legacy", legacy);
            }
        }

        PKCS12PfxPdu pfx = new PKCS12PfxPdu(Files.readAllBytes(store().certificateFile(DOMAIN)));
        assertThat(pfx.getMacAlgorithmID().getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_sha256);
        assertThat(org.bouncycastle.asn1.pkcs.Pfx.getInstance(Files.readAllBytes(store().certificateFile(DOMAIN)))
                .getMacData().getIterationCount().intValueExact()).isEqualTo(Pkcs12Files.ITERATIONS);
        AlgorithmIdentifier keyEncryption = null;
        for (var info : pfx.getContentInfos()) {
            for (PKCS12SafeBag bag : new org.bouncycastle.pkcs.PKCS12SafeBagFactory(info).getSafeBags()) {
                if (bag.getType().equals(PKCSObjectIdentifiers.pkcs8ShroudedKeyBag)) {
                    keyEncryption = ((org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo) bag.getBagValue())
                            .getEncryptionAlgorithm();
                }
            }
        }
        assertPbes2WithSha256AndAes256(keyEncryption, Pkcs12Files.ITERATIONS);

        Properties account = new Properties();
        try (var in = Files.newInputStream(Files.list(root.resolve("accounts")).findFirst().orElseThrow())) {
            account.load(in);
        }
        EncryptedPrivateKeyInfo accountKey = EncryptedPrivateKeyInfo.getInstance(
                Base64.getDecoder().decode(account.getProperty("privateKey")));
        assertPbes2WithSha256AndAes256(accountKey.getEncryptionAlgorithm(), AccountKeyCodec.ITERATIONS);
    }

    private static void assertPbes2WithSha256AndAes256(AlgorithmIdentifier algorithm, int iterations) {
        assertThat(algorithm).isNotNull();
        assertThat(algorithm.getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_PBES2);
        PBES2Parameters parameters = PBES2Parameters.getInstance(algorithm.getParameters());
        PBKDF2Params kdf = PBKDF2Params.getInstance(parameters.getKeyDerivationFunc().getParameters());
        assertThat(kdf.getPrf().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_hmacWithSHA256);
        assertThat(kdf.getIterationCount().intValueExact()).isEqualTo(iterations);
        assertThat(parameters.getEncryptionScheme().getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_aes256_CBC);
    }

    @Test
    void filesWrittenWithLegacyAlgorithmsAreStillRead() throws Exception {
        IssuedCertificate old = CA.issue(DOMAIN);
        Files.write(store().certificateFile(DOMAIN), legacyPkcs12(old));
        Files.writeString(sidecar(), "# written by 0.1, without an hmac\ndomain=" + DOMAIN + "\nserialNumber="
                + old.metadata().serialNumber() + "\n");
        KeyPair accountKey = KeyType.EC_P256.generate();
        store().saveAccount(new AcmeAccount(DIRECTORY, accountKey, URI.create("https://ca.test/acct/7")));
        Path accountFile = Files.list(root.resolve("accounts")).findFirst().orElseThrow();
        Properties account = new Properties();
        try (var in = Files.newInputStream(accountFile)) {
            account.load(in);
        }
        account.setProperty("privateKey", Base64.getEncoder().encodeToString(new JcaPKCS8Generator(accountKey.getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setPRF(PKCS8Generator.PRF_HMACSHA1)
                        .setIterationCount(10_000).setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                        .setPassword(PASSWORD).build()).generate().getContent()));
        try (var out = Files.newOutputStream(accountFile)) {
            account.store(out, "as 0.1 wrote it");
        }

        IssuedCertificate loaded = store().loadCertificate(DOMAIN).orElseThrow();
        assertThat(loaded.chain()).isEqualTo(old.chain());
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(old.privateKey().getEncoded());
        assertThat(store().loadMetadata(DOMAIN).orElseThrow().serialNumber()).isEqualTo(old.metadata().serialNumber());
        assertThat(store().loadAccount(DIRECTORY).orElseThrow().keyPair().getPrivate().getEncoded())
                .isEqualTo(accountKey.getPrivate().getEncoded());
    }

    /** A PKCS#12 file as a JVM with {@code -Dkeystore.pkcs12.legacy} writes it: 3DES key, RC2 certificates, SHA-1 MAC. */
    private static byte[] legacyPkcs12(IssuedCertificate certificate) throws Exception {
        byte[] keyId = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(certificate.leaf().getPublicKey())
                .getKeyIdentifier();
        PKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(certificate.privateKey(),
                new BcPKCS12PBEOutputEncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC,
                        new CBCBlockCipher(new DESedeEngine())).build(PASSWORD));
        keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(Pkcs12CertificateStore.ALIAS));
        keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new org.bouncycastle.asn1.DEROctetString(keyId));
        PKCS12SafeBag[] certificateBags = new PKCS12SafeBag[certificate.chain().size()];
        for (int i = 0; i < certificateBags.length; i++) {
            PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(certificate.chain().get(i));
            if (i == 0) {
                bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(Pkcs12CertificateStore.ALIAS));
                bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new org.bouncycastle.asn1.DEROctetString(keyId));
            }
            certificateBags[i] = bag.build();
        }
        PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
        pfx.addEncryptedData(new BcPKCS12PBEOutputEncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd40BitRC2_CBC,
                new CBCBlockCipher(new RC2Engine())).build(PASSWORD), certificateBags);
        pfx.addData(keyBag.build());
        return pfx.build(new BcPKCS12MacCalculatorBuilder(), PASSWORD).getEncoded("DER");
    }

    @Test
    void anAccountFileThatIsNotBase64IsAStoreErrorNamingTheFile() throws Exception {
        store().saveAccount(new AcmeAccount(DIRECTORY, KeyType.EC_P256.generate(), null));
        Path accountFile = Files.list(root.resolve("accounts")).findFirst().orElseThrow();
        Files.writeString(accountFile, Files.readString(accountFile).replaceAll("privateKey=.*", "privateKey=%%%not base64%%%"),
                StandardCharsets.UTF_8);

        assertThatThrownBy(() -> store().loadAccount(DIRECTORY))
                .isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining(accountFile.toString())
                .hasMessageContaining("left as it is");
    }

    @Test
    void anEnrollmentFileWithABrokenEscapeIsAStoreErrorNamingTheFile() throws Exception {
        store().saveEnrollment(DOMAIN, java.util.Map.of("version", "1"));
        Path enrollment = root.resolve("enrollments/portal.example.com.properties");
        Files.writeString(enrollment, "binding=\\uZZZZ\n");

        assertThatThrownBy(() -> store().loadEnrollments())
                .isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining(enrollment.toString());
    }
}
