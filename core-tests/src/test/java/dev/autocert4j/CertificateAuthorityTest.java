package dev.autocert4j;

import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateAuthorityTest {

    @TempDir
    Path folder;

    @Test
    void letsEncryptIsNamedForMessages() {
        assertThat(CertificateAuthority.letsEncrypt().name()).isEqualTo("Let's Encrypt");
        assertThat(CertificateAuthority.letsEncryptStaging().name()).isEqualTo("Let's Encrypt");
        assertThat(CertificateAuthority.at(URI.create("https://acme-v02.api.letsencrypt.org/directory")).name())
                .isEqualTo("Let's Encrypt");
    }

    @Test
    void anotherCaIsNamedAfterItsHostUntilRenamed() {
        CertificateAuthority ca = CertificateAuthority.at(URI.create("https://127.0.0.1:14000/dir"));

        assertThat(ca.name()).isEqualTo("127.0.0.1:14000");
        assertThat(ca.named("Pebble").name()).isEqualTo("Pebble");
    }

    @Test
    void rejectsPlainHttpDirectories() {
        assertThatThrownBy(() -> CertificateAuthority.at(URI.create("http://ca.example.com/dir")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must be an https:// ACME directory URL");
    }

    @Test
    void trustsTheCertificatesOfAPemFile() throws Exception {
        Path pem = folder.resolve("ca.pem");
        byte[] der = TestCertificates.issued("ca.example.com").leaf().getEncoded();
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(der) + "\n-----END CERTIFICATE-----\n");

        CertificateAuthority ca = CertificateAuthority.at(URI.create("https://ca.example.com/dir")).trusting(pem);

        assertThat(ca.trustStore().orElseThrow().size()).isEqualTo(1);
    }

    @Test
    void refusesATrustFileWithoutCertificates() throws Exception {
        Path empty = Files.writeString(folder.resolve("empty.pem"), "nothing here");

        assertThatThrownBy(() -> CertificateAuthority.at(URI.create("https://ca.example.com/dir")).trusting(empty))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("trust file '" + empty + "'");
    }

    @Test
    void customTrustNeedsAnHttpsDirectory() throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        assertThatThrownBy(() -> CertificateAuthority.letsEncrypt().trusting(trust))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("custom trust needs an https:// directory URL");
    }

    @Test
    void letsEncryptComesWithItsPublishedRateLimitsAndAnotherCaWithNone() {
        assertThat(CertificateAuthority.letsEncrypt().newOrderLimit()).contains(RateLimit.of(300, java.time.Duration.ofHours(3)));
        assertThat(CertificateAuthority.letsEncryptStaging().newAccountLimit())
                .contains(CertificateAuthority.LETS_ENCRYPT_NEW_ACCOUNTS);
        CertificateAuthority other = CertificateAuthority.at(URI.create("https://ca.internal/dir"));
        assertThat(other.newOrderLimit()).isEmpty();
        assertThat(other.newAccountLimit()).isEmpty();

        CertificateAuthority limited = other.withNewOrderLimit(RateLimit.of(10, java.time.Duration.ofMinutes(1)));
        assertThat(limited.newOrderLimit()).contains(RateLimit.of(10, java.time.Duration.ofMinutes(1)));
        assertThat(CertificateAuthority.letsEncrypt().withoutRateLimits().newOrderLimit()).isEmpty();
    }

    @Test
    void aRateLimitIsValidatedAndSaysWhatItIs() {
        RateLimit limit = RateLimit.of(300, java.time.Duration.ofHours(3));

        assertThat(limit.refillInterval()).isEqualTo(java.time.Duration.ofSeconds(36));
        assertThat(limit).hasToString("300 per 3h");
        assertThatThrownBy(() -> RateLimit.of(0, java.time.Duration.ofHours(1))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("requests");
        assertThatThrownBy(() -> RateLimit.of(1, java.time.Duration.ZERO)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("period");
    }
}
