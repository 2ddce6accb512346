package dev.autocert4j.spring.boot;

import dev.autocert4j.AutoCert;
import dev.autocert4j.CertificateStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The certificate's health, as the actuator's {@code health} endpoint shows it:
 * <ul>
 *   <li>UP while the certificate is valid and the last attempt succeeded, or expiry is further away
 *       than {@code autocert4j.health.failing-within} (7 days by default; the error is in the
 *       details);</li>
 *   <li>DOWN when it has expired, when renewal is failing within that time of expiry, or when there
 *       is no certificate and the last attempt failed;</li>
 *   <li>UNKNOWN while the first certificate is being obtained.</li>
 * </ul>
 * The details carry the domain's names, serial number, expiry, last renewal, next check and last error.
 *
 * @since 0.2.0
 */
public final class AutoCertHealthIndicator extends AbstractHealthIndicator {

    private final AutoCert autoCert;
    private final String domain;
    private final Duration failingWithin;
    private final Clock clock;
    private final Supplier<Optional<String>> startFailure;

    AutoCertHealthIndicator(AutoCert autoCert, String domain, Duration failingWithin, Clock clock,
                            Supplier<Optional<String>> startFailure) {
        super("The certificate's status could not be read");
        this.autoCert = autoCert;
        this.domain = domain;
        this.failingWithin = failingWithin;
        this.clock = clock;
        this.startFailure = startFailure;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        Optional<String> notStarted = startFailure.get();
        if (notStarted.isPresent()) {
            health.down().withDetail("domain", domain).withDetail("lastError", notStarted.get());
            return;
        }
        CertificateStatus status = autoCert.status(domain);
        Instant now = clock.instant();
        if (status.notAfter() == null) {
            (status.lastError() == null ? health.unknown() : health.down()).withDetails(details(status));
            return;
        }
        boolean expired = !now.isBefore(status.notAfter());
        boolean failingNearExpiry = status.lastError() != null
                && !now.isBefore(status.notAfter().minus(failingWithin));
        (expired || failingNearExpiry ? health.down() : health.up()).withDetails(details(status));
    }

    /** The status for people and for the info endpoint: only what is known, no secrets. */
    static Map<String, Object> details(CertificateStatus status) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("domain", status.domain());
        details.put("names", status.names());
        putIfKnown(details, "serialNumber", status.serialNumber());
        putIfKnown(details, "notAfter", status.notAfter());
        putIfKnown(details, "lastRenewed", status.lastRenewed());
        putIfKnown(details, "nextCheck", status.nextCheck());
        putIfKnown(details, "lastAttempt", status.lastAttempt());
        putIfKnown(details, "lastError", status.lastError());
        putIfKnown(details, "installResult", status.installResult());
        if (status.consecutiveFailures() > 0) {
            details.put("consecutiveFailures", status.consecutiveFailures());
        }
        status.pausedUntil().ifPresent(until -> details.put("pausedUntil", until.toString()));
        return details;
    }

    private static void putIfKnown(Map<String, Object> details, String name, Object value) {
        if (value != null) {
            details.put(name, value.toString());
        }
    }
}
