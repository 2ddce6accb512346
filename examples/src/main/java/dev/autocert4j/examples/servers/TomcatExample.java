package dev.autocert4j.examples.servers;

import dev.autocert4j.AutoCert;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.tomcat.AcmeChallengeValve;
import dev.autocert4j.tomcat.TomcatBindings;
import org.apache.catalina.startup.Tomcat;

/** Let's Encrypt for an embedded Tomcat 11 portal. */
public final class TomcatExample {

    private TomcatExample() {
    }

    /**
     * Adds Let's Encrypt to an embedded Tomcat whose connectors and contexts are set, before it
     * starts: challenges answered on the engine ahead of every security constraint, certificates
     * replaced live, HTTPS added when a certificate is first installed on a port.
     *
     * @param tomcat the server
     * @param ca     the CA, such as {@code CertificateAuthority.letsEncrypt()}
     * @param store  where certificates and enrollments are kept
     * @param names  the public names the portal is reached by
     * @return autocert4j, started: {@code enroll(..)} it once, when the admin registers
     */
    public static AutoCert enable(Tomcat tomcat, CertificateAuthority ca, CertificateStore store, String... names) {
        // tag::glue[]
        Http01Responder challenges = new Http01Responder();
        AcmeChallengeValve.addTo(tomcat.getEngine(), challenges);
        AutoCert autoCert = AutoCert.builder().certificateAuthority(ca)
                .bindingProvider(TomcatBindings.of(tomcat.getService(), names))
                .challengeSolver(challenges).certificateStore(store).build();
        autoCert.start(); // puts stored certificates back on; renews them
        // end::glue[]
        return autoCert;
    }
}
