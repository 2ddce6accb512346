package dev.autocert4j.spi;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.InvalidInputException;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Renews a fixed time before expiry and checks at a fixed interval, both clamped to the
 * certificate's own lifetime so that short-lived certificates are renewed once per lifetime:
 * the renewal window is at most a third of the lifetime (half for lifetimes of 10 days or less),
 * and checks come at least twice per window.
 */
final class StandardRenewalPolicy implements RenewalPolicy {

    private static final Duration SHORT_LIFETIME = Duration.ofDays(10);
    private static final Duration MINIMUM_CHECK_INTERVAL = Duration.ofMinutes(1);

    private final Duration checkEvery;
    private final Duration renewWithin;

    StandardRenewalPolicy(Duration checkEvery, Duration renewWithin) {
        Objects.requireNonNull(checkEvery, "checkEvery");
        Objects.requireNonNull(renewWithin, "renewWithin");
        if (checkEvery.compareTo(MINIMUM_CHECK_INTERVAL) < 0) {
            throw new InvalidInputException("checkEvery", checkEvery.toString(), "must be at least one minute");
        }
        if (renewWithin.isNegative() || renewWithin.isZero()) {
            throw new InvalidInputException("renewWithin", renewWithin.toString(), "must be positive");
        }
        this.checkEvery = checkEvery;
        this.renewWithin = renewWithin;
    }

    @Override
    public Instant renewalTime(CertificateMetadata certificate) {
        return certificate.notAfter().minus(window(certificate));
    }

    @Override
    public Duration checkInterval(CertificateMetadata certificate) {
        Duration halfWindow = window(certificate).dividedBy(2);
        Duration interval = halfWindow.compareTo(checkEvery) < 0 ? halfWindow : checkEvery;
        return interval.compareTo(MINIMUM_CHECK_INTERVAL) < 0 ? MINIMUM_CHECK_INTERVAL : interval;
    }

    private Duration window(CertificateMetadata certificate) {
        Duration lifetime = certificate.lifetime();
        Duration share = lifetime.compareTo(SHORT_LIFETIME) <= 0 ? lifetime.dividedBy(2) : lifetime.dividedBy(3);
        return share.compareTo(renewWithin) < 0 ? share : renewWithin;
    }

    @Override
    public String toString() {
        return "RenewalPolicy[checkEvery=" + checkEvery + ", renewWithin=" + renewWithin + "]";
    }
}
