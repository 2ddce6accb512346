package dev.autocert4j;

import java.time.Duration;
import java.time.Instant;

/**
 * When a certificate is due and how often to check, under its 0.1 name.
 *
 * @deprecated moved to {@link dev.autocert4j.spi.RenewalPolicy}, where the interfaces plugins
 *             implement live; use that one. This name goes in 1.0.
 */
@Deprecated(since = "0.2.0", forRemoval = true)
public interface RenewalPolicy extends dev.autocert4j.spi.RenewalPolicy {

    /**
     * @return check every 24 hours, renew when the certificate expires within 21 days
     * @deprecated use {@link dev.autocert4j.spi.RenewalPolicy#standard()}
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    static RenewalPolicy standard() {
        return under01Name(dev.autocert4j.spi.RenewalPolicy.standard());
    }

    /**
     * @param checkEvery  the pause between checks
     * @param renewWithin renew when the certificate expires within this time
     * @return the policy
     * @deprecated use {@link dev.autocert4j.spi.RenewalPolicy#of(Duration, Duration)}
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    static RenewalPolicy of(Duration checkEvery, Duration renewWithin) {
        return under01Name(dev.autocert4j.spi.RenewalPolicy.of(checkEvery, renewWithin));
    }

    /**
     * @param policy a policy
     * @return the same policy under this name
     * @deprecated only for code that still names this type
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    static RenewalPolicy under01Name(dev.autocert4j.spi.RenewalPolicy policy) {
        if (policy instanceof RenewalPolicy old) {
            return old;
        }
        return new RenewalPolicy() {
            @Override
            public Instant renewalTime(CertificateMetadata certificate) {
                return policy.renewalTime(certificate);
            }

            @Override
            public Duration checkInterval(CertificateMetadata certificate) {
                return policy.checkInterval(certificate);
            }

            @Override
            public boolean isDue(CertificateMetadata certificate, Instant now) {
                return policy.isDue(certificate, now);
            }

            @Override
            public String toString() {
                return policy.toString();
            }
        };
    }
}
