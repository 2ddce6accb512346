package dev.autocert4j.internal.caa;

import dev.autocert4j.CaaCheck;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.internal.net.NameSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The CAA check before an order at one CA (RFC 8659 section 3, RFC 8657): for each name, the
 * relevant record set is the first one found climbing from the name (a wildcard's base name) towards
 * the root, the root excluded, each lookup following aliases; the set decides as the CA will. A
 * refusal is a {@link CertificateAuthorityException} of ACME type {@code caa}, as the CA would
 * answer (so the next CA of a list is tried), asking to be tried again a day later rather than at
 * every check. A lookup that fails (SERVFAIL, a timeout, a resolver that refuses the name) is logged
 * and the name is left to the CA, which reads CAA itself before issuing: the check saves orders
 * that would fail, it is not what enforces CAA.
 */
public final class CaaPrecheck {

    /** The ACME problem type of a CAA refusal. */
    public static final URI CAA_PROBLEM = URI.create("urn:ietf:params:acme:error:caa");
    /** How long a refused name waits before it is checked again, unless an admin renews it at once. */
    static final Duration REFUSED_RETRY = Duration.ofDays(1);
    private static final Logger LOG = LoggerFactory.getLogger(CaaPrecheck.class);

    private final CertificateAuthority ca;
    private final CaaCheck settings;
    private final CaaLookup lookup;
    private final Clock clock;

    /**
     * A check through the JDK's DNS provider, as the CA's {@link CaaCheck} says.
     *
     * @param ca    the CA orders go to
     * @param clock the time source
     */
    public CaaPrecheck(CertificateAuthority ca, Clock clock) {
        this(ca, new JndiCaaLookup(ca.caaCheck().resolvers()), clock);
    }

    CaaPrecheck(CertificateAuthority ca, CaaLookup lookup, Clock clock) {
        this.ca = ca;
        this.settings = ca.caaCheck();
        this.lookup = lookup;
        this.clock = clock;
    }

    /**
     * Checks every name of an order; returns quietly where the CA may issue for all.
     *
     * @param names               the names to order; IP addresses have no CAA and are passed over
     * @param directoryIdentities the CA's {@code caaIdentities} from its directory, maybe empty
     * @param account             the URL of the ACME account the order is sent with
     * @param challenge           the challenge the names are validated with
     * @throws CertificateAuthorityException if the records of a name forbid it, naming the records and where they are;
     *                                       a lookup that fails is logged and the name left to the CA
     */
    public void check(List<String> names, Collection<String> directoryIdentities, URI account, ChallengeType challenge) {
        if (!settings.enabled()) {
            return;
        }
        List<String> identities = directoryIdentities.isEmpty() ? settings.identities()
                : directoryIdentities.stream().map(identity -> identity.toLowerCase(Locale.ROOT)).toList();
        if (identities.isEmpty()) {
            LOG.debug("{} lists no CAA identities and none are configured: CAA is not checked before ordering", ca.name());
            return;
        }
        Map<String, List<byte[]>> answers = new HashMap<>();
        for (String name : names) {
            if (!NameSyntax.isIpAddress(name)) {
                checkName(name.toLowerCase(Locale.ROOT), identities, account.toString(), challenge.acmeName(), answers);
            }
        }
    }

    private void checkName(String name, List<String> identities, String account, String challenge,
                           Map<String, List<byte[]>> answers) {
        boolean wildcard = name.startsWith("*.");
        String base = wildcard ? name.substring(2) : name;
        for (String at = base; at != null; at = parent(at)) {
            List<byte[]> set;
            try {
                set = recordsAt(at, answers);
            } catch (IOException e) {
                // the CA reads CAA itself before issuing: without our answer the order goes ahead and it decides
                LOG.warn("The CAA lookup of {} (for {}) through {} failed: {}. CAA is not checked before ordering {} from {};"
                        + " the CA checks it when it validates.", at, name, lookup, e.getMessage(), name, ca.name());
                return;
            }
            if (!set.isEmpty()) {
                Optional<String> refusal = refusal(name, wildcard, set, identities, account, challenge);
                if (refusal.isPresent()) {
                    throw refused(where(at) + refusal.get());
                }
                return;
            }
        }
    }

    private List<byte[]> recordsAt(String at, Map<String, List<byte[]>> answers) throws IOException {
        List<byte[]> known = answers.get(at);
        if (known != null) {
            return known;
        }
        List<byte[]> set = lookup.caaAt(at);
        answers.put(at, set);
        return set;
    }

    /** Where the records are: the name, or the name its alias points to. */
    private String where(String at) {
        return lookup.aliasTarget(at).map(target -> "CAA at " + target + " (the alias target of " + at + ")")
                .orElse("CAA at " + at);
    }

    /**
     * Why a record set forbids issuance, as the rest of a sentence starting with where the set is;
     * empty if it allows it. A pure function of its arguments.
     */
    static Optional<String> refusal(String name, boolean wildcard, List<byte[]> set, List<String> identities,
                                    String account, String challenge) {
        String by = String.join(" or ", identities);
        List<CaaRecord> records = new ArrayList<>();
        for (byte[] rdata : set) {
            Optional<CaaRecord> record = CaaRecord.parse(rdata);
            if (record.isEmpty()) {
                return Optional.of(" holds a record that cannot be read (" + CaaRecord.hex(rdata) + "), so nothing is"
                        + " ordered for " + name + ": fix or remove it.");
            }
            records.add(record.get());
        }
        for (CaaRecord record : records) {
            if (record.critical() && !record.knownTag()) {
                return Optional.of(" forbids issuance by " + by + ": " + record + " is critical with a tag CAs do"
                        + " not know, so none may issue for " + name + ".");
            }
        }
        boolean wildTags = wildcard && records.stream().anyMatch(record -> record.tag().equals("issuewild"));
        String tag = wildTags ? "issuewild" : "issue";
        List<CaaRecord> relevant = records.stream().filter(record -> record.tag().equals(tag)).toList();
        if (relevant.isEmpty() || relevant.stream().anyMatch(record -> permits(record, identities, account, challenge))) {
            return Optional.empty();
        }
        return Optional.of(" forbids issuance by " + by + ": " + String.join(", ", relevant.stream()
                .map(CaaRecord::toString).toList()) + " (for " + name + "). To allow it, add 0 " + tag + " \""
                + identities.get(0) + "\" there (with accounturi=" + account + " to allow this account only).");
    }

    private static boolean permits(CaaRecord record, List<String> identities, String account, String challenge) {
        Optional<IssuerValue> value = IssuerValue.parse(record.value());
        return value.isPresent() && identities.stream().anyMatch(identity -> value.get().permits(identity, account, challenge));
    }

    private CertificateAuthorityException refused(String message) {
        LOG.debug("Not ordering from {}: {}", ca.name(), message); // the failure itself is logged where it is recorded
        return new CertificateAuthorityException(message, CAA_PROBLEM, clock.instant().plus(REFUSED_RETRY), null);
    }

    /** The parent of a name, or {@code null} for a top-level name: the root is never asked. */
    private static String parent(String name) {
        int dot = name.indexOf('.');
        return dot < 0 || dot == name.length() - 1 ? null : name.substring(dot + 1);
    }
}
