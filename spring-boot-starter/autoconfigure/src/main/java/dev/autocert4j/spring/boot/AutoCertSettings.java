package dev.autocert4j.spring.boot;

import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InvalidInputException;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the {@code autocert4j.*} properties into autocert4j's values, checking them first: a wrong
 * property fails the application's start with an {@link InvalidInputException} naming the
 * property, before any network call.
 */
final class AutoCertSettings {

    /** Which property each field of {@link EnrollmentRequest} comes from, for messages. */
    private static final Map<String, String> PROPERTY_OF_FIELD = Map.of(
            "domain", "autocert4j.domains",
            "host", "autocert4j.domains",
            "extraNames", "autocert4j.domains",
            "email", "autocert4j.email",
            "termsOfServiceAccepted", "autocert4j.accept-terms-of-service",
            "httpsPort", "server.port",
            "binding", "autocert4j.http-port",
            "profile", "autocert4j.profile",
            "externalAccountKeyId", "autocert4j.eab.key-id",
            "externalAccountHmacKey", "autocert4j.eab.hmac-key");

    private AutoCertSettings() {
    }

    /**
     * @param properties the properties
     * @return the CA they name
     * @throws InvalidInputException naming {@code autocert4j.ca} or {@code autocert4j.ca-trust}
     */
    static CertificateAuthority certificateAuthority(AutoCertProperties properties) {
        String ca = properties.getCa() == null ? "" : properties.getCa().strip();
        CertificateAuthority authority;
        switch (ca.toLowerCase(Locale.ROOT)) {
            case "letsencrypt" -> authority = CertificateAuthority.letsEncrypt();
            case "letsencrypt-staging" -> authority = CertificateAuthority.letsEncryptStaging();
            default -> {
                try {
                    authority = CertificateAuthority.at(URI.create(ca));
                } catch (IllegalArgumentException | InvalidInputException e) { // not a URI, or not https://
                    throw new InvalidInputException("autocert4j.ca", ca, "must be 'letsencrypt', 'letsencrypt-staging'"
                            + " or an https:// ACME directory URL");
                }
            }
        }
        if (properties.getCaTrust() == null) {
            return authority;
        }
        try {
            return authority.trusting(properties.getCaTrust());
        } catch (InvalidInputException e) {
            throw new InvalidInputException("autocert4j.ca-trust", e.value(), e.problem());
        }
    }

    /**
     * @param properties the properties
     * @param httpsPort  the port the application serves HTTPS on
     * @return the enrollment they describe: the HTTP binding of the first domain, the others as
     *         extra names on the same certificate
     * @throws InvalidInputException naming the property that is missing or wrong
     */
    static EnrollmentRequest request(AutoCertProperties properties, int httpsPort) {
        List<String> domains = properties.getDomains();
        if (domains == null || domains.isEmpty() || domains.get(0) == null || domains.get(0).isBlank()) {
            throw new InvalidInputException("autocert4j.domains", null,
                    "is empty: give the DNS name(s) the application is reached by, such as portal.example.com");
        }
        requireHttpPort(properties.getHttpPort(), httpsPort);
        try {
            EnrollmentRequest.Builder request = EnrollmentRequest.builder()
                    .binding(new Binding("http", domains.get(0).strip(), properties.getHttpPort()))
                    .httpsPort(httpsPort)
                    .extraNames(domains.subList(1, domains.size()).stream().map(String::strip).toList())
                    .termsOfServiceAccepted(properties.isAcceptTermsOfService())
                    .keyType(properties.getKeyType());
            if (properties.getEmail() != null) {
                request.email(properties.getEmail());
            }
            if (properties.getProfile() != null && !properties.getProfile().isBlank()) {
                request.profile(properties.getProfile().strip());
            }
            AutoCertProperties.Eab eab = properties.getEab();
            if (eab.getKeyId() != null || eab.getHmacKey() != null) {
                if (eab.getKeyId() == null || eab.getHmacKey() == null) {
                    throw new InvalidInputException("autocert4j.eab", null, "needs both key-id and hmac-key");
                }
                request.externalAccountBinding(eab.getKeyId(), eab.getHmacKey());
            }
            return request.build();
        } catch (InvalidInputException e) {
            throw new InvalidInputException(PROPERTY_OF_FIELD.getOrDefault(e.field(), e.field()), e.value(), e.problem());
        }
    }

    private static void requireHttpPort(int httpPort, int httpsPort) {
        if (httpPort < 1 || httpPort > 65535) {
            throw new InvalidInputException("autocert4j.http-port", String.valueOf(httpPort), "must be 1 to 65535");
        }
        if (httpPort == httpsPort) {
            throw new InvalidInputException("autocert4j.http-port", String.valueOf(httpPort), "must differ from"
                    + " server.port: the CA validates over plain HTTP, and server.port serves HTTPS");
        }
    }
}
