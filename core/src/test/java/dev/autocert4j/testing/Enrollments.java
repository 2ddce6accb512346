package dev.autocert4j.testing;

import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.testkit.PebbleExtension;

/** The enrollment requests and CA settings most tests share. */
public final class Enrollments {

    private Enrollments() {
    }

    /**
     * @param binding an {@code http} binding URL
     * @return a request for it with HTTPS port 8443, an email and accepted Terms of Service
     */
    public static EnrollmentRequest request(String binding) {
        return EnrollmentRequest.builder()
                .binding(Binding.parse(binding))
                .httpsPort(8443)
                .email("admin@autocert4j.test")
                .termsOfServiceAccepted(true)
                .build();
    }

    /**
     * @param pebble a running Pebble
     * @return Pebble as a CA, trusting its generated TLS certificate, named "Pebble"
     */
    public static CertificateAuthority pebble(PebbleExtension pebble) {
        return CertificateAuthority.at(pebble.directoryUri()).trusting(pebble.trustFile()).named("Pebble");
    }
}
