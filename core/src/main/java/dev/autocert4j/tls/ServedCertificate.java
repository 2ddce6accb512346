package dev.autocert4j.tls;

import dev.autocert4j.IssuedCertificate;

import java.security.cert.X509Certificate;
import java.util.List;

/** One certificate as served: the alias handshakes refer to it by, and when it was replaced (0 while it is not). */
record ServedCertificate(String alias, IssuedCertificate certificate, X509Certificate[] chain, String keyAlgorithm,
                         long retiredAt) {

    static ServedCertificate of(String alias, IssuedCertificate certificate) {
        return new ServedCertificate(alias, certificate, certificate.chain().toArray(new X509Certificate[0]),
                certificate.privateKey().getAlgorithm(), 0);
    }

    ServedCertificate retired() {
        return new ServedCertificate(alias, certificate, chain, keyAlgorithm, System.nanoTime());
    }

    boolean isRetired() {
        return retiredAt != 0;
    }

    /** Whether a handshake that asks for this key type (null: any) can use it. */
    boolean matches(String keyType) {
        return keyType == null || keyType.equals(keyAlgorithm) || (keyType.equals("RSASSA-PSS") && keyAlgorithm.equals("RSA"));
    }

    /** @return the first of the candidates (may be null) of that key type, or null */
    static ServedCertificate ofType(List<ServedCertificate> candidates, String keyType) {
        if (candidates == null) {
            return null;
        }
        for (ServedCertificate served : candidates) {
            if (served.matches(keyType)) {
                return served;
            }
        }
        return null;
    }
}
