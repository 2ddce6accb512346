package dev.autocert4j.micrometer;

import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes what autocert4j does as Micrometer meters, from the {@link AutoCertListener} events and
 * the certificates it manages:
 * <ul>
 *   <li>{@value #EXPIRY}: gauge, seconds until the domain's certificate expires (negative once it
 *       has; absent until a certificate exists), tag {@code domain};</li>
 *   <li>{@value #ATTEMPTS}: counter of attempts to obtain or renew, tags {@code domain},
 *       {@code outcome} ({@code success}, {@code failure}) and {@code error} (the failure's type,
 *       such as {@code ChallengeFailed}, or {@code none});</li>
 *   <li>{@value #ISSUANCE}: timer of those attempts, from the first call to the CA to the
 *       certificate stored (or the failure), tags {@code domain} and {@code outcome};</li>
 *   <li>{@value #EXPIRING_SOON}: counter of the warnings that a certificate is close to expiry while
 *       renewal keeps failing, tag {@code domain} — the one to alert on.</li>
 * </ul>
 * Register it as a listener, then let it watch the {@link AutoCert} for the certificates that exist
 * already:
 * <pre>{@code
 * AutoCertMetrics metrics = new AutoCertMetrics(registry);
 * AutoCert autoCert = AutoCert.builder()....listener(metrics).build();
 * metrics.monitor(autoCert);
 * }</pre>
 * The expiry gauges read a value kept in memory, updated by the events, so a scrape never touches
 * the store. Thread-safe.
 *
 * @since 0.2.0
 */
public final class AutoCertMetrics implements AutoCertListener {

    /** The name of the expiry gauge. */
    public static final String EXPIRY = "autocert4j.certificate.expiry";
    /** The name of the attempts counter. */
    public static final String ATTEMPTS = "autocert4j.attempts";
    /** The name of the issuance timer. */
    public static final String ISSUANCE = "autocert4j.issuance";
    /** The name of the expiring-soon counter. */
    public static final String EXPIRING_SOON = "autocert4j.expiring.soon";

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Instant> notAfter = new ConcurrentHashMap<>();
    private final Map<String, Long> attemptStartedNanos = new ConcurrentHashMap<>();

    /**
     * @param registry where the meters go
     */
    public AutoCertMetrics(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    /**
     * @param registry where the meters go
     * @param clock    the clock the expiry gauges count from
     */
    public AutoCertMetrics(MeterRegistry registry, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Adds expiry gauges for the certificates an {@link AutoCert} manages now; those it obtains
     * later come through the events. Call it after {@link AutoCert#start()} or {@code manage}, so
     * that the stored enrollments are known.
     *
     * @param autoCert the instance this object listens to
     * @return this object
     */
    public AutoCertMetrics monitor(AutoCert autoCert) {
        for (String domain : autoCert.managedDomains()) {
            CertificateStatus status = autoCert.status(domain);
            if (status.notAfter() != null) {
                expires(domain, status.notAfter());
            }
        }
        return this;
    }

    @Override
    public void obtaining(String domain) {
        attemptStartedNanos.put(domain, System.nanoTime());
    }

    @Override
    public void obtained(IssuedCertificate certificate, boolean renewal) {
        String domain = certificate.metadata().domain();
        expires(domain, certificate.metadata().notAfter());
        attemptEnded(domain, "success", "none");
    }

    @Override
    public void installed(CertificateMetadata metadata, Binding httpsBinding, InstallResult result) {
        // also covers stored certificates installed at start and those another process stored
        expires(metadata.domain(), metadata.notAfter());
    }

    @Override
    public void failed(String domain, AutoCertException failure, Instant nextAttempt) {
        attemptEnded(domain, "failure", errorName(failure));
    }

    @Override
    public void expiringSoon(String domain, Instant expiry) {
        Counter.builder(EXPIRING_SOON).description("Warnings that a certificate is close to expiry while renewal fails")
                .tag("domain", domain).register(registry).increment();
    }

    private void expires(String domain, Instant expiry) {
        if (notAfter.put(domain, expiry) == null) {
            Gauge.builder(EXPIRY, notAfter, known -> secondsUntil(known.get(domain)))
                    .description("Seconds until the certificate expires").baseUnit("seconds")
                    .tag("domain", domain).register(registry);
        }
    }

    private double secondsUntil(Instant expiry) {
        return expiry == null ? Double.NaN : Duration.between(clock.instant(), expiry).toMillis() / 1000.0;
    }

    /** An attempt counts when it ends; a failure outside an attempt (installing, say) counts too. */
    private void attemptEnded(String domain, String outcome, String error) {
        Counter.builder(ATTEMPTS).description("Attempts to obtain or renew a certificate")
                .tag("domain", domain).tag("outcome", outcome).tag("error", error).register(registry).increment();
        Long started = attemptStartedNanos.remove(domain);
        if (started != null) {
            Timer.builder(ISSUANCE).description("Time to obtain a certificate from the CA")
                    .tag("domain", domain).tag("outcome", outcome).register(registry)
                    .record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static String errorName(AutoCertException failure) {
        String name = failure.getClass().getSimpleName();
        return name.endsWith("Exception") && name.length() > "Exception".length()
                ? name.substring(0, name.length() - "Exception".length()) : name;
    }
}
