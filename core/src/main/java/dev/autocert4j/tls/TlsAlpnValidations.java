package dev.autocert4j.tls;

import dev.autocert4j.internal.net.NameSyntax;
import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.internal.TlsAlpnCertificates;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pending TLS-ALPN-01 validation certificates of a {@link SniKeyManager}, by the SNI name the
 * validator sends, and what publishes them: each published challenge puts one in place for its name
 * until it is withdrawn.
 */
final class TlsAlpnValidations implements ChallengeResponder {

    private final ServedAliases aliases;
    private final Map<String, ServedCertificate> byName = new ConcurrentHashMap<>();
    /** The SNI names each pending challenge's token put into {@link #byName}. */
    private final Map<String, List<String>> namesByToken = new ConcurrentHashMap<>();

    TlsAlpnValidations(ServedAliases aliases) {
        this.aliases = aliases;
    }

    /** @return the validation certificate pending for an SNI name, or null */
    ServedCertificate forName(String sniName) {
        return sniName == null ? null : byName.get(sniName);
    }

    @Override
    public void publish(String token, String keyAuthorization) {
        throw new IllegalArgumentException("TLS-ALPN-01 needs the name being validated: call publish(domain, token,"
                + " keyAuthorization)");
    }

    @Override
    public void publish(String domain, String token, String keyAuthorization) {
        Objects.requireNonNull(domain, "domain");
        String name = LazyCertificates.normalized(domain);
        IssuedCertificate certificate = TlsAlpnCertificates.create(name, keyAuthorization);
        ServedCertificate served = aliases.register(certificate);
        List<String> sniNames = NameSyntax.isIpAddress(name) ? List.of(NameSyntax.reverseName(name), name)
                : List.of(name);
        sniNames.forEach(sni -> byName.put(sni, served));
        namesByToken.put(token, sniNames);
    }

    @Override
    public void withdraw(String token) {
        List<String> sniNames = namesByToken.remove(token);
        if (sniNames != null) {
            sniNames.forEach(sni -> {
                ServedCertificate served = byName.remove(sni);
                if (served != null) {
                    aliases.retire(served);
                }
            });
        }
    }
}
