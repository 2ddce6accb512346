package dev.autocert4j;

import dev.autocert4j.testkit.TestCertificateAuthority;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IssuedCertificateTest {

    private final IssuedCertificate certificate = new TestCertificateAuthority("Export test CA").issue("portal.example.com");

    @Test
    void becomesAKeyStoreWithOneKeyEntryHoldingTheWholeChain() throws Exception {
        KeyStore keyStore = certificate.toKeyStore("portal", "secret".toCharArray());

        assertThat(java.util.Collections.list(keyStore.aliases())).containsExactly("portal");
        assertThat(keyStore.getKey("portal", "secret".toCharArray())).isEqualTo(certificate.privateKey());
        assertThat(List.of(keyStore.getCertificateChain("portal"))).isEqualTo(certificate.chain());
    }

    @Test
    void exportsPemThatStandardParsersRead() throws Exception {
        var parsed = CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(certificate.chainPem().getBytes(StandardCharsets.US_ASCII)));
        assertThat(List.copyOf(parsed)).isEqualTo(certificate.chain());

        String keyPem = certificate.privateKeyPem();
        assertThat(keyPem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        byte[] der = Base64.getMimeDecoder().decode(keyPem.replaceAll("-----[A-Z ]+-----", ""));
        assertThat(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der))).isEqualTo(certificate.privateKey());
    }
}
