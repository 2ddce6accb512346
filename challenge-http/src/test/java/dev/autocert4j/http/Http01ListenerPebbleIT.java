package dev.autocert4j.http;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** The standalone listener with a host-checking responder answers Pebble's real validation requests. */
class Http01ListenerPebbleIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    @Test
    void pebbleValidatesThroughTheStandaloneListener() throws Exception {
        Http01Responder responder = Http01Responder.checkingHost();
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (Http01Listener listener = Http01Listener.start(responder,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), PEBBLE.httpChallengePort()))) {
            assertThat(listener.address().getPort()).isEqualTo(PEBBLE.httpChallengePort());
            AutoCert autoCert = AutoCert.builder()
                    .certificateAuthority(CertificateAuthority.at(PEBBLE.directoryUri()).trusting(PEBBLE.trustFile()))
                    .bindingProvider(new RecordingBindingProvider("http://listener.autocert4j.test:80"))
                    .challengeSolver(responder)
                    .certificateStore(store)
                    .build();

            autoCert.enroll(EnrollmentRequest.builder().binding(Binding.parse("http://listener.autocert4j.test:80"))
                    .httpsPort(443).email("admin@autocert4j.test").termsOfServiceAccepted(true).build());
        }

        assertThat(store.loadCertificate("listener.autocert4j.test")).isPresent();
        assertThat(responder.publishedCount()).isZero();
    }
}
