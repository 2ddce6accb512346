package dev.autocert4j.spring.boot;

import dev.autocert4j.AutoCert;

/**
 * Changes the {@link AutoCert.Builder} the auto-configuration prepares, before it builds the
 * {@link AutoCert} bean: declare a bean of this type to set what the properties do not cover (a
 * {@code ChallengeSelfCheck}, a preferred chain, timeouts, a clock). Customizers run in
 * {@link org.springframework.core.Ordered} order, after the properties are applied.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface AutoCertCustomizer {

    /**
     * @param builder the builder, with the properties applied
     */
    void customize(AutoCert.Builder builder);
}
