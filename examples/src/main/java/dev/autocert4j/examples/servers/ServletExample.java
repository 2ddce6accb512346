package dev.autocert4j.examples.servers;

import dev.autocert4j.AutoCert;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.jetty.JettyBindings;
import dev.autocert4j.servlet.AcmeChallengeFilter;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;

/**
 * Let's Encrypt for a servlet application: the challenge filter goes in the root context, ahead of
 * the application's own filters (Spring Security's, say); the container's TLS comes from its
 * adapter, here Jetty 12 ee10.
 */
public final class ServletExample {

    private ServletExample() {
    }

    /**
     * @param server  the server, its connectors set
     * @param context the application's root context, before it starts
     * @param ca      the CA, such as {@code CertificateAuthority.letsEncrypt()}
     * @param store   where certificates and enrollments are kept
     * @param names   the public names the portal is reached by
     * @return autocert4j, started: {@code enroll(..)} it once, when the admin registers
     */
    public static AutoCert enable(Server server, ServletContextHandler context, CertificateAuthority ca,
                                  CertificateStore store, String... names) {
        // tag::glue[]
        Http01Responder challenges = new Http01Responder();
        AcmeChallengeFilter.register(context.getServletContext(), challenges);
        AutoCert autoCert = AutoCert.builder().certificateAuthority(ca)
                .bindingProvider(JettyBindings.of(server, names))
                .challengeSolver(challenges).certificateStore(store).build();
        autoCert.start(); // puts stored certificates back on; renews them
        // end::glue[]
        return autoCert;
    }
}
