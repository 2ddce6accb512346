package dev.autocert4j.internal;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CheckResult;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.RenewalLock;
import dev.autocert4j.RenewalWindow;
import dev.autocert4j.spi.RenewalPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When an enrollment is looked at next and whether its certificate is due: a function of the
 * certificate's metadata, the renewal policy, the CA's renewal window and now. Jitter and the
 * instant chosen inside a CA's window come from the random generator it is given, so a seeded
 * one makes every answer repeatable. It changes nothing.
 */
final class CheckSchedule {

    /**
     * How far ahead of this machine's clock a certificate's start of validity may be for it to be
     * installed anyway: CAs that do not backdate it, and hosts whose clock runs a little behind.
     */
    static final Duration CLOCK_SKEW = Duration.ofHours(1);
    /** Regular checks are spread by up to a tenth of their interval, and at most this much. */
    static final Duration MAX_JITTER = Duration.ofMinutes(5);
    /**
     * Renewal information is asked for again at the CA's {@code Retry-After}, clamped to between a
     * minute and a day as RFC 9773 advises; after six hours where the CA sent none.
     */
    static final Duration DEFAULT_ASK_CA_AGAIN = Duration.ofHours(6);
    static final Duration LONGEST_ASK_CA_AGAIN = Duration.ofDays(1);
    static final Duration SHORTEST_ASK_CA_AGAIN = Duration.ofMinutes(1);
    /**
     * A certificate is looked at this many times per lifetime at least, whatever the policy's
     * interval: a six-day certificate every six hours, while a 90-day one keeps the daily check.
     */
    static final int LOOKS_PER_LIFETIME = 24;
    /** Renewal starts when this share of the lifetime is left (a tenth), whatever the CA's window says. */
    static final int EMERGENCY_SHARE_DIVISOR = 10;
    /** When to look again at a renewal another server holds the lock for: by then it has usually stored the result. */
    static final Duration HELD_ELSEWHERE_RECHECK = Duration.ofMinutes(1);

    private final RenewalPolicy policy;
    private final RandomGenerator random;

    /**
     * @param policy when to check and renew
     * @param random jitter and the instant chosen inside a CA's window
     */
    CheckSchedule(RenewalPolicy policy, RandomGenerator random) {
        this.policy = policy;
        this.random = random;
    }

    /** Whether a certificate is worth serving: not expired, and valid now or within the clock skew. */
    static boolean isServable(CertificateMetadata certificate, Instant now) {
        return now.isBefore(certificate.notAfter()) && !now.plus(CLOCK_SKEW).isBefore(certificate.notBefore());
    }

    /** Whether a certificate names everything the enrollment asks for (names added since it was issued). */
    static boolean coversEveryName(CertificateMetadata certificate, EnrollmentRequest request) {
        return certificate.names().containsAll(request.names());
    }

    /** The policy's renewal instant for a certificate; a broken policy throws. */
    Instant renewalTime(CertificateMetadata certificate) {
        return policy.renewalTime(certificate);
    }

    /**
     * The next check after a certificate was installed: now if it is due or misses a name the
     * enrollment asks for, otherwise as {@link #nextCheck} says for the policy's renewal instant.
     */
    Instant afterInstall(CertificateMetadata installed, EnrollmentRequest request, Instant askCaAgainAt, Instant now) {
        boolean due = policy.isDue(installed, now) || !coversEveryName(installed, request);
        return due ? now : nextCheck(installed, policy.renewalTime(installed), askCaAgainAt, now);
    }

    /**
     * The earliest of the regular check (the policy's interval plus jitter), the due instant and
     * the next question to the CA.
     *
     * @param askCaAgainAt when to ask the CA for renewal information again, or {@code null}
     */
    Instant nextCheck(CertificateMetadata certificate, Instant due, Instant askCaAgainAt, Instant now) {
        Duration interval = shortest(policy.checkInterval(certificate), lifetimeInterval(certificate));
        Duration jitterBound = interval.dividedBy(10).compareTo(MAX_JITTER) < 0 ? interval.dividedBy(10) : MAX_JITTER;
        long jitterMillis = jitterBound.toMillis() <= 0 ? 0 : random.nextLong(jitterBound.toMillis());
        Instant next = earliest(now.plus(interval).plusMillis(jitterMillis), due);
        return askCaAgainAt == null ? next : earliest(next, askCaAgainAt);
    }

    /** The interval the certificate's own lifetime asks for: {@value #LOOKS_PER_LIFETIME} looks per lifetime, at least a minute apart. */
    static Duration lifetimeInterval(CertificateMetadata certificate) {
        Duration interval = certificate.lifetime().dividedBy(LOOKS_PER_LIFETIME);
        return interval.compareTo(SHORTEST_ASK_CA_AGAIN) < 0 ? SHORTEST_ASK_CA_AGAIN : interval;
    }

    /**
     * When renewal starts whatever the CA's renewal window says: with a tenth of the lifetime left
     * (nine days of 90, about fourteen hours of six), so a window a CA moved too late, or one it
     * never revised, cannot let the certificate lapse.
     */
    static Instant emergencyTime(CertificateMetadata certificate) {
        return certificate.notAfter().minus(certificate.lifetime().dividedBy(EMERGENCY_SHARE_DIVISOR));
    }

    /** The due instant: the CA's target where it gave one, else the policy's; never after the emergency time. */
    Instant dueAt(CertificateMetadata certificate, Instant caTarget) {
        Instant wanted = caTarget != null ? caTarget : policy.renewalTime(certificate);
        return earliest(wanted, emergencyTime(certificate));
    }

    /** A random instant inside the CA's window: renewals spread out as the CA asks. */
    Instant targetInside(RenewalWindow window) {
        long spanMillis = Duration.between(window.start(), window.end()).toMillis();
        return window.start().plusMillis(spanMillis <= 0 ? 0 : random.nextLong(spanMillis));
    }

    /** When to ask the CA for renewal information again: at its {@code Retry-After}, within bounds. */
    static Instant askCaAgainAt(Instant retryAfter, Instant now) {
        if (retryAfter == null) {
            return now.plus(DEFAULT_ASK_CA_AGAIN);
        }
        Instant soonest = now.plus(SHORTEST_ASK_CA_AGAIN);
        Instant latest = now.plus(LONGEST_ASK_CA_AGAIN);
        return retryAfter.isBefore(soonest) ? soonest : retryAfter.isAfter(latest) ? latest : retryAfter;
    }

    /**
     * Another server renews: look again when its lease would run out if it crashed, or in a
     * minute, whichever is sooner.
     */
    static Instant whileHeldElsewhere(Optional<RenewalLock.Holder> holder, Instant now) {
        Instant recheck = now.plus(HELD_ELSEWHERE_RECHECK);
        if (holder.isPresent() && holder.get().expires().isBefore(recheck)) {
            return holder.get().expires().plusSeconds(1);
        }
        return recheck;
    }

    /**
     * The condition of a stored certificate now: what a one-shot tool's exit code is made of.
     *
     * @param caTarget the instant chosen inside the CA's window, or {@code null} where the policy decides
     */
    CheckResult.Condition condition(CertificateMetadata certificate, EnrollmentRequest request, Instant caTarget,
                                    Instant now) {
        if (!now.isBefore(certificate.notAfter())) {
            return CheckResult.Condition.EXPIRED;
        }
        if (!isServable(certificate, now)) {
            return CheckResult.Condition.MISSING;
        }
        return isDue(certificate, caTarget, now) || !coversEveryName(certificate, request)
                ? CheckResult.Condition.DUE : CheckResult.Condition.VALID;
    }

    /** Due as the check decides it: by the CA's renewal window where it gave one, otherwise by the policy. */
    private boolean isDue(CertificateMetadata certificate, Instant caTarget, Instant now) {
        if (caTarget != null) {
            return !now.isBefore(earliest(caTarget, emergencyTime(certificate)));
        }
        try {
            return policy.isDue(certificate, now);
        } catch (RuntimeException e) {
            return true; // a broken policy cannot vouch for it
        }
    }

    /** Whether the policy says the certificate is due now; a broken policy throws. */
    boolean isDue(CertificateMetadata certificate, Instant now) {
        return policy.isDue(certificate, now);
    }

    /** Past the middle of the renewal window, a failing renewal deserves a person's attention. */
    boolean isExpiringSoon(CertificateMetadata certificate, Instant now) {
        try {
            Instant renewalTime = policy.renewalTime(certificate);
            Instant halfway = renewalTime.plus(Duration.between(renewalTime, certificate.notAfter()).dividedBy(2));
            return !now.isBefore(halfway);
        } catch (RuntimeException e) {
            return false; // a broken policy is already reported as the failure itself
        }
    }

    private static Duration shortest(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
