package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every key type gets a certificate from Pebble, and a preferred chain is honoured. */
class KeyTypesAndChainsIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().alternateRoots(1);

    private static IssuedCertificate enroll(String host, AutoCert.Builder builder, InMemoryCertificateStore store)
            throws Exception {
        return enroll(host, builder, PEBBLE.certificateAuthority(), store);
    }

    private static IssuedCertificate enroll(String host, AutoCert.Builder builder, CertificateAuthority ca,
                                            InMemoryCertificateStore store) throws Exception {
        try (TestChallengeServer challenges = new TestChallengeServer(PEBBLE.httpChallengePort())) {
            AutoCert autoCert = builder.certificateAuthority(ca)
                    .bindingProvider(new RecordingBindingProvider("http://" + host + ":8080"))
                    .challengeSolver(challenges)
                    .certificateStore(store)
                    .build();
            autoCert.enroll(Enrollments.request("http://" + host + ":8080"));
        }
        return store.loadCertificate(host).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void issuesACertificateForEachKeyType(KeyType keyType) throws Exception {
        String host = keyType.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ".autocert4j.test";

        IssuedCertificate issued = enroll(host, AutoCert.builder().keyType(keyType), new InMemoryCertificateStore());

        switch (keyType) {
            case EC_P256 -> assertThat(((ECPublicKey) issued.leaf().getPublicKey()).getParams().getOrder().bitLength()).isEqualTo(256);
            case EC_P384 -> assertThat(((ECPublicKey) issued.leaf().getPublicKey()).getParams().getOrder().bitLength()).isEqualTo(384);
            case RSA_2048 -> assertThat(((RSAPublicKey) issued.leaf().getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
            case RSA_3072 -> assertThat(((RSAPublicKey) issued.leaf().getPublicKey()).getModulus().bitLength()).isEqualTo(3072);
            case RSA_4096 -> assertThat(((RSAPublicKey) issued.leaf().getPublicKey()).getModulus().bitLength()).isEqualTo(4096);
        }
        assertThat(issued.privateKey().getAlgorithm()).isEqualTo(issued.leaf().getPublicKey().getAlgorithm());
    }

    @Test
    void usesTheDefaultChainUnlessAnotherIssuerIsPreferred() throws Exception {
        String alternateRoot = commonName(PEBBLE.rootCertificate(1).getSubjectX500Principal().getName());

        IssuedCertificate standard = enroll("default-chain.autocert4j.test", AutoCert.builder(), new InMemoryCertificateStore());
        IssuedCertificate preferred = enroll("preferred-chain.autocert4j.test",
                AutoCert.builder().preferredChain(alternateRoot), new InMemoryCertificateStore());

        EnrollmentIT.verifyChain(standard.chain(), PEBBLE.rootCertificate(0));
        EnrollmentIT.verifyChain(preferred.chain(), PEBBLE.rootCertificate(1));
        assertThat(lastIssuer(preferred.chain())).contains(alternateRoot);
    }

    private static java.security.KeyStore trusting(java.security.cert.X509Certificate... roots) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < roots.length; i++) {
            store.setCertificateEntry("root-" + i, roots[i]);
        }
        return store;
    }

    @Test
    void withClientsTrustingOnlyTheAlternateRootTheChainThatVerifiesIsServed() throws Exception {
        CertificateAuthority ca = PEBBLE.certificateAuthority().verifyingChainsWith(trusting(PEBBLE.rootCertificate(1)));
        InMemoryCertificateStore store = new InMemoryCertificateStore();

        IssuedCertificate served = enroll("alternate-trusted.autocert4j.test", AutoCert.builder(), ca, store);

        EnrollmentIT.verifyChain(served.chain(), PEBBLE.rootCertificate(1));
        assertThat(lastIssuer(served.chain())).isEqualTo(PEBBLE.rootCertificate(1).getSubjectX500Principal().getName());
    }

    @Test
    void thePreferredRootNamedByItsWholeSubjectIsServedWhereBothVerify() throws Exception {
        String wholeSubject = PEBBLE.rootCertificate(1).getSubjectX500Principal().getName();
        CertificateAuthority ca = PEBBLE.certificateAuthority()
                .verifyingChainsWith(trusting(PEBBLE.rootCertificate(0), PEBBLE.rootCertificate(1)));

        IssuedCertificate preferred = enroll("preferred-subject.autocert4j.test",
                AutoCert.builder().preferredChain(wholeSubject), ca, new InMemoryCertificateStore());
        IssuedCertificate standard = enroll("both-trusted.autocert4j.test", AutoCert.builder(), ca,
                new InMemoryCertificateStore());

        EnrollmentIT.verifyChain(preferred.chain(), PEBBLE.rootCertificate(1));
        EnrollmentIT.verifyChain(standard.chain(), PEBBLE.rootCertificate(0));
    }

    @Test
    void whenNoChainVerifiesTheStatusWarnsAndTheCasChainIsServed() throws Exception {
        java.security.cert.X509Certificate stranger = dev.autocert4j.testkit.TestCertificates.issued("stranger.test").leaf();
        CertificateAuthority ca = PEBBLE.certificateAuthority().verifyingChainsWith(trusting(stranger));
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        String host = "untrusted.autocert4j.test";

        try (TestChallengeServer challenges = new TestChallengeServer(PEBBLE.httpChallengePort());
             AutoCert autoCert = AutoCert.builder().certificateAuthority(ca)
                     .bindingProvider(new RecordingBindingProvider("http://" + host + ":8080"))
                     .challengeSolver(challenges).certificateStore(store).build()) {
            CertificateStatus status = autoCert.enroll(Enrollments.request("http://" + host + ":8080"));

            assertThat(status.certificateWarning().orElseThrow()).startsWith("None of the 2 chain(s)")
                    .contains("configured trust store");
        }
        EnrollmentIT.verifyChain(store.loadCertificate(host).orElseThrow().chain(), PEBBLE.rootCertificate(0));
    }

    private static String lastIssuer(List<java.security.cert.X509Certificate> chain) {
        return chain.get(chain.size() - 1).getIssuerX500Principal().getName();
    }

    private static String commonName(String distinguishedName) {
        return distinguishedName.replaceFirst(".*CN=([^,]+).*", "$1");
    }
}
