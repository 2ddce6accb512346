package dev.autocert4j.spring.boot;

import dev.autocert4j.AutoCert;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds {@code autocert4j} to the actuator's {@code info} endpoint: for each managed domain, its
 * names, serial number, expiry, last renewal, next check and last error.
 *
 * @since 0.2.0
 */
public final class AutoCertInfoContributor implements InfoContributor {

    private final AutoCert autoCert;

    AutoCertInfoContributor(AutoCert autoCert) {
        this.autoCert = autoCert;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> domains = new LinkedHashMap<>();
        autoCert.managedDomains().stream().sorted()
                .forEach(domain -> domains.put(domain, AutoCertHealthIndicator.details(autoCert.status(domain))));
        builder.withDetail("autocert4j", Map.of("ca", autoCert.certificateAuthority().directory().toString(),
                "domains", domains));
    }
}
