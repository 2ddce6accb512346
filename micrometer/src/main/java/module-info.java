/**
 * autocert4j's metrics for Micrometer: {@code AutoCertMetrics} turns autocert4j's events and
 * status into meters of a host's {@code MeterRegistry}.
 */
module dev.autocert4j.micrometer {
    requires transitive dev.autocert4j;
    requires transitive micrometer.core;

    exports dev.autocert4j.micrometer;
}
