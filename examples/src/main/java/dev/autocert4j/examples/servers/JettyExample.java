package dev.autocert4j.examples.servers;

import dev.autocert4j.AutoCert;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.jetty.AcmeChallengeHandler;
import dev.autocert4j.jetty.JettyBindings;
import org.eclipse.jetty.server.Server;

/** Let's Encrypt for a Jetty 12 portal. */
public final class JettyExample {

    private JettyExample() {
    }

    /**
     * Adds Let's Encrypt to a Jetty server whose connectors and handlers are set, before it
     * starts: challenges on plain HTTP ahead of every handler, certificates served live, HTTPS
     * opened when a certificate is first installed on a port.
     *
     * @param server the server
     * @param ca     the CA, such as {@code CertificateAuthority.letsEncrypt()}
     * @param store  where certificates and enrollments are kept
     * @param names  the public names the portal is reached by
     * @return autocert4j, started: {@code enroll(..)} it once, when the admin registers
     */
    public static AutoCert enable(Server server, CertificateAuthority ca, CertificateStore store, String... names) {
        // tag::glue[]
        Http01Responder challenges = new Http01Responder();
        AcmeChallengeHandler.insertFirst(server, challenges);
        AutoCert autoCert = AutoCert.builder().certificateAuthority(ca)
                .bindingProvider(JettyBindings.of(server, names))
                .challengeSolver(challenges).certificateStore(store).build();
        autoCert.start(); // puts stored certificates back on; renews them
        // end::glue[]
        return autoCert;
    }
}
