package dev.autocert4j.internal;

import dev.autocert4j.internal.net.NameSyntax;
import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a certificate the CA handed back before anything is stored: its public key is the one in
 * our certificate request, its names are exactly the ones ordered, it is valid now, and its chain
 * verifies up to an issuer the CA sent. Anything else would replace a working certificate with one
 * that every handshake rejects.
 */
public final class IssuedCertificateCheck {

    private IssuedCertificateCheck() {
    }

    /**
     * @param issued       the certificate, its key and chain as the CA sent them
     * @param orderedNames the DNS names and IP addresses that were ordered
     * @param requestedKey the public key of the certificate request
     * @param now          the current time
     * @param caName       the CA's name, for the message
     * @throws CertificateAuthorityException listing every problem found
     */
    public static void requireUsable(IssuedCertificate issued, Collection<String> orderedNames, PublicKey requestedKey,
                                     Instant now, String caName) {
        List<String> problems = new ArrayList<>();
        X509Certificate leaf = issued.leaf();
        if (!Arrays.equals(leaf.getPublicKey().getEncoded(), requestedKey.getEncoded())) {
            problems.add("its public key is not the one in the certificate request");
        }
        Set<String> certified = normalized(CertificateMetadata.subjectAlternativeNames(leaf));
        Set<String> ordered = normalized(orderedNames);
        if (!certified.equals(ordered)) {
            problems.add("it names " + (certified.isEmpty() ? "nothing" : String.join(", ", certified))
                    + " but " + String.join(", ", ordered) + " was ordered");
        }
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (!now.isBefore(notAfter) || now.plus(CheckSchedule.CLOCK_SKEW).isBefore(notBefore)) {
            problems.add("it is not valid now (" + now + "): valid from " + notBefore + " to " + notAfter);
        }
        chainProblem(issued.chain()).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw new CertificateAuthorityException(caName + " sent a certificate for " + issued.metadata().domain()
                    + " that cannot be used: " + String.join("; ", problems) + ". It was not stored or installed; the"
                    + " working certificate stays in place. If this persists, report it to the CA.", null, null, null);
        }
    }

    private static java.util.Optional<String> chainProblem(List<X509Certificate> chain) {
        if (chain.size() < 2) {
            return java.util.Optional.of("no issuer certificate came with it, so its chain cannot be checked");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate certificate = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                return java.util.Optional.of("certificate " + (i + 1) + " of its chain names the issuer '"
                        + certificate.getIssuerX500Principal().getName() + "' but is followed by '"
                        + issuer.getSubjectX500Principal().getName() + "'");
            }
            try {
                certificate.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException | RuntimeException e) {
                return java.util.Optional.of("certificate " + (i + 1) + " of its chain is not signed by '"
                        + issuer.getSubjectX500Principal().getName() + "' (" + e.getMessage() + ")");
            }
        }
        return java.util.Optional.empty();
    }

    /** DNS names in lower case without a trailing dot; IP addresses in one canonical form. */
    private static Set<String> normalized(Collection<String> names) {
        Set<String> result = new TreeSet<>();
        for (String name : names) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            if (NameSyntax.isDnsName(n)) {
                result.add(n.endsWith(".") ? n.substring(0, n.length() - 1) : n);
            } else {
                result.add(canonicalAddress(n));
            }
        }
        return result;
    }

    private static String canonicalAddress(String literal) {
        try {
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            return literal; // not an address after all: compared as written
        }
    }
}
