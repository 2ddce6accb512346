package dev.autocert4j.internal.acme;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import javax.security.auth.x500.X500Principal;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Chooses the chain to serve among the one the CA sends and its alternates: only chains that
 * verify against the trust store clients use (the JVM's, or one configured) are candidates; of
 * those, the one whose top certificate was issued by the preferred issuer (its common name, or
 * its whole subject), else the shortest. Where none verifies, the preferred or else the CA's own
 * chain is served, with a warning.
 */
final class ChainChoice {

    /**
     * The chain to serve.
     *
     * @param chain   end-entity certificate first
     * @param warning what the admin should know, or {@code null}
     */
    record Choice(List<X509Certificate> chain, String warning) {
    }

    private ChainChoice() {
    }

    /**
     * @param chains          the CA's chain first, then its alternates
     * @param preferredIssuer the issuer the host prefers, or {@code null}
     * @param trust           the trust store clients use, or {@code null} for the JVM's
     * @param now             the time to verify at
     * @param caName          the CA's name, for the warning
     */
    static Choice choose(List<List<X509Certificate>> chains, String preferredIssuer, KeyStore trust, Instant now,
                         String caName) {
        Set<TrustAnchor> anchors = anchors(trust);
        List<List<X509Certificate>> verifying = chains.stream().filter(chain -> verifies(chain, anchors, now)).toList();
        Optional<List<X509Certificate>> preferred = preferredIssuer == null ? Optional.empty()
                : chains.stream().filter(chain -> issuedBy(top(chain), preferredIssuer)).findFirst();
        if (!verifying.isEmpty()) {
            return new Choice(preferred.filter(verifying::contains)
                    .orElseGet(() -> verifying.stream().min(Comparator.comparingInt(List::size)).orElseThrow()), null);
        }
        return new Choice(preferred.orElse(chains.get(0)), "None of the " + chains.size() + " chain(s) " + caName
                + " offers verifies against the " + (trust == null ? "JVM's" : "configured") + " trust store; serving"
                + " the chain issued by " + top(preferred.orElse(chains.get(0))).getIssuerX500Principal().getName()
                + ", which clients using that trust store will refuse");
    }

    private static X509Certificate top(List<X509Certificate> chain) {
        return chain.get(chain.size() - 1);
    }

    /** Whether the certificate's issuer is the preferred one: by its common name, or its whole subject. */
    static boolean issuedBy(X509Certificate certificate, String preferred) {
        X500Principal issuer = certificate.getIssuerX500Principal();
        try {
            if (new X500Principal(preferred).equals(issuer)) {
                return true;
            }
        } catch (IllegalArgumentException notADistinguishedName) {
            // a plain common name such as "ISRG Root X1"
        }
        for (RDN rdn : X500Name.getInstance(issuer.getEncoded()).getRDNs(BCStyle.CN)) {
            if (IETFUtils.valueToString(rdn.getFirst().getValue()).equals(preferred)) {
                return true;
            }
        }
        return false;
    }

    private static boolean verifies(List<X509Certificate> chain, Set<TrustAnchor> anchors, Instant now) {
        if (anchors.isEmpty()) {
            return false;
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false); // OCSP is going away; CRLs are not fetched here
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                    .generateCertPath(chain), parameters);
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Set<TrustAnchor> anchors(KeyStore trust) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            Set<TrustAnchor> anchors = new HashSet<>();
            for (var manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate root : x509.getAcceptedIssuers()) {
                        anchors.add(new TrustAnchor(root, null));
                    }
                }
            }
            return anchors;
        } catch (GeneralSecurityException e) {
            return Set.of();
        }
    }
}
