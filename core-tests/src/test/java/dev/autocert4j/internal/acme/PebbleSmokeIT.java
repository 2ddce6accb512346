package dev.autocert4j.internal.acme;

import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.KeyType;
import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;

import static org.assertj.core.api.Assertions.assertThat;

class PebbleSmokeIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    @Test
    void readsTheDirectoryAndRegistersAnAccountTrustingTheGeneratedCertificate() throws Exception {
        CertificateAuthority pebble = CertificateAuthority.at(PEBBLE.directoryUri()).trusting(PEBBLE.trustFile());
        Session session = new Session(pebble.directory(), new TrustingAcmeProvider(pebble.trustStore().orElseThrow()));

        assertThat(session.getMetadata().getTermsOfService()).isPresent();

        Account account = new AccountBuilder()
                .addEmail("admin@example.com")
                .agreeToTermsOfService()
                .useKeyPair(KeyType.EC_P256.generate())
                .create(session);

        assertThat(account.getStatus()).isEqualTo(Status.VALID);
        assertThat(account.getLocation().toString()).startsWith("https://127.0.0.1:");
        assertThat(PEBBLE.rootCertificate().getSubjectX500Principal().getName()).contains("Pebble Root CA");
    }
}
