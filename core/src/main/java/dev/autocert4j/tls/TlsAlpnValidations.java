package dev.autocert4j.tls;

import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.internal.net.NameSyntax;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.internal.TlsAlpnCertificates;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.PendingChallenge;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pending TLS-ALPN-01 validation certificates of a {@link SniKeyManager}, by the SNI name the
 * validator sends, and the solver that presents them: each presented challenge puts one in place for
 * its name until it is cleaned up.
 */
final class TlsAlpnValidations implements ChallengeSolver {

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
    public ChallengeType type() {
        return ChallengeType.TLS_ALPN_01;
    }

    @Override
    public void present(PendingChallenge challenge) {
        requireTlsAlpn01(challenge);
        String name = LazyCertificates.normalized(challenge.identifier());
        IssuedCertificate certificate = TlsAlpnCertificates.create(name, challenge.keyAuthorization());
        ServedCertificate served = aliases.register(certificate);
        List<String> sniNames = NameSyntax.isIpAddress(name) ? List.of(NameSyntax.reverseName(name), name)
                : List.of(name);
        sniNames.forEach(sni -> byName.put(sni, served));
        namesByToken.put(challenge.token(), sniNames);
    }

    @Override
    public void cleanUp(PendingChallenge challenge) {
        List<String> sniNames = namesByToken.remove(challenge.token());
        if (sniNames != null) {
            sniNames.forEach(sni -> {
                ServedCertificate served = byName.remove(sni);
                if (served != null) {
                    aliases.retire(served);
                }
            });
        }
    }

    private static void requireTlsAlpn01(PendingChallenge challenge) {
        Objects.requireNonNull(challenge, "challenge");
        if (challenge.type() != ChallengeType.TLS_ALPN_01) {
            throw new IllegalArgumentException("This solver answers TLS-ALPN-01, not " + challenge.type().acmeName());
        }
    }

    @Override
    public String toString() {
        return "TLS-ALPN-01 validations of an SniKeyManager";
    }
}
