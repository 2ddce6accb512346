package dev.autocert4j.testing;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.testkit.PebbleExtension;

/** The enrollment requests and CA settings most tests share. */
public final class Enrollments {

    private Enrollments() {
    }

    /**
     * @param binding an {@code http} binding URL
     * @return a request for it with HTTPS port 8443, an email and accepted Terms of Service (the
     *         deprecated per-request account)
     */
    @SuppressWarnings("deprecation") // most tests take the per-request account, which still works
    public static EnrollmentRequest request(String binding) {
        return EnrollmentRequest.builder()
                .binding(Binding.parse(binding))
                .httpsPort(8443)
                .email("admin@autocert4j.test")
                .termsOfServiceAccepted(true)
                .build();
    }

    /**
     * @param pebble     a running Pebble
     * @param host       the host's bindings
     * @param challenges answers the challenges
     * @param store      where certificates go
     * @return a builder with those parts set, for a test to add to and build
     */
    public static AutoCert.Builder autoCert(PebbleExtension pebble, BindingProvider host, ChallengeSolver challenges,
                                            CertificateStore store) {
        return AutoCert.builder()
                .certificateAuthority(pebble.certificateAuthority())
                .bindingProvider(host)
                .challengeSolver(challenges)
                .certificateStore(store);
    }
}
