package dev.autocert4j.spring.boot;

import dev.autocert4j.AccountRegistration;
import dev.autocert4j.Binding;
import dev.autocert4j.CaaCheck;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.ChallengeSolverFactory;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.spi.PluginSettings;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
     * @return the CAs they name in the order tried: {@code autocert4j.cas}, or else {@code autocert4j.ca}
     * @throws InvalidInputException naming {@code autocert4j.cas}, {@code autocert4j.ca} or {@code autocert4j.ca-trust}
     */
    static List<CertificateAuthority> certificateAuthorities(AutoCertProperties properties) {
        List<String> cas = properties.getCas() == null ? List.of() : properties.getCas();
        if (cas.isEmpty()) {
            return List.of(certificateAuthority(properties.getCa(), "autocert4j.ca", properties));
        }
        List<CertificateAuthority> authorities = new java.util.ArrayList<>();
        for (int i = 0; i < cas.size(); i++) {
            authorities.add(certificateAuthority(cas.get(i), "autocert4j.cas[" + i + "]", properties));
        }
        return authorities;
    }

    /**
     * @param properties the properties
     * @return the CA they name
     * @throws InvalidInputException naming {@code autocert4j.ca} or {@code autocert4j.ca-trust}
     */
    static CertificateAuthority certificateAuthority(AutoCertProperties properties) {
        return certificateAuthority(properties.getCa(), "autocert4j.ca", properties);
    }

    private static CertificateAuthority certificateAuthority(String given, String property, AutoCertProperties properties) {
        String ca = given == null ? "" : given.strip();
        CertificateAuthority authority;
        switch (ca.toLowerCase(Locale.ROOT)) {
            case "letsencrypt" -> authority = CertificateAuthority.letsEncrypt();
            case "letsencrypt-staging" -> authority = CertificateAuthority.letsEncryptStaging();
            default -> {
                try {
                    authority = CertificateAuthority.at(URI.create(ca));
                } catch (IllegalArgumentException | InvalidInputException e) { // not a URI, or not https://
                    throw new InvalidInputException(property, ca, "must be 'letsencrypt', 'letsencrypt-staging'"
                            + " or an https:// ACME directory URL");
                }
            }
        }
        authority = authority.withCaaCheck(caaCheck(properties));
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
     * @return the CAA check {@code autocert4j.caa.*} describe; its resolvers default to {@code autocert4j.dns.resolvers}
     * @throws InvalidInputException naming {@code autocert4j.caa.resolvers} or {@code autocert4j.caa.identities}
     */
    static CaaCheck caaCheck(AutoCertProperties properties) {
        AutoCertProperties.Caa caa = properties.getCaa();
        if (!caa.isEnabled()) {
            return CaaCheck.off();
        }
        CaaCheck check = CaaCheck.standard();
        boolean ownResolvers = caa.getResolvers() != null && !caa.getResolvers().isEmpty();
        List<String> resolvers = ownResolvers ? caa.getResolvers() : properties.getDns().getResolvers();
        String property = ownResolvers ? "autocert4j.caa.resolvers" : "autocert4j.dns.resolvers";
        if (resolvers != null && !resolvers.isEmpty()) {
            check = check.withResolvers(resolvers.stream().map(resolver -> hostAndPort(resolver, property)).toList());
        }
        if (caa.getIdentities() != null && !caa.getIdentities().isEmpty()) {
            try {
                check = check.withIdentities(caa.getIdentities());
            } catch (InvalidInputException e) {
                throw new InvalidInputException("autocert4j.caa.identities", e.value(), e.problem());
            }
        }
        return check;
    }

    /** {@code host:port} or {@code [v6]:port}, parsed as plugin settings are, then resolved once, here. */
    private static InetSocketAddress hostAndPort(String given, String property) {
        String value = given == null ? "" : given.strip();
        InetSocketAddress parsed = PluginSettings.of("autocert4j", Map.of(property, value)).address(property).orElseThrow(
                () -> new InvalidInputException(property, value, "must be HOST:PORT, such as 10.0.0.2:53 or [::1]:53"));
        InetSocketAddress address = new InetSocketAddress(parsed.getHostString(), parsed.getPort());
        if (address.isUnresolved()) {
            throw new InvalidInputException(property, value, "names a host that does not resolve");
        }
        return address;
    }

    /**
     * @param properties the properties
     * @param httpsPort  the port the application serves HTTPS on
     * @return the enrollment they describe: the HTTP binding of the first domain, the others as
     *         extra names on the same certificate; with the account's email, consent and EAB, so that
     *         the first order registers the account where none is stored (also when the CA was down
     *         at start), recording the Terms of Service link the CA shows then
     * @throws InvalidInputException naming the property that is missing or wrong
     */
    @SuppressWarnings("deprecation") // the request registers the account with the first order, also when the CA is down at start
    static EnrollmentRequest request(AutoCertProperties properties, int httpsPort) {
        List<String> domains = properties.getDomains();
        if (domains == null || domains.isEmpty() || domains.get(0) == null || domains.get(0).isBlank()) {
            throw new InvalidInputException("autocert4j.domains", null,
                    "is empty: give the DNS name(s) the application is reached by, such as portal.example.com");
        }
        requireHttpPort(properties.getHttpPort(), httpsPort);
        AccountRegistration account = account(properties, Optional.empty()); // a wrong account stops the start
        try {
            EnrollmentRequest.Builder request = EnrollmentRequest.builder()
                    .binding(new Binding("http", domains.get(0).strip(), properties.getHttpPort()))
                    .httpsPort(httpsPort)
                    .extraNames(domains.subList(1, domains.size()).stream().map(String::strip).toList())
                    .keyType(properties.getKeyType())
                    .email(account.emails().get(0))
                    .termsOfServiceAccepted(true);
            if (properties.getDns().isEnabled()) {
                request.challenge(ChallengeType.DNS_01);
            }
            if (account.externalAccountKeyId().isPresent()) {
                request.externalAccountBinding(account.externalAccountKeyId().get(), account.externalAccountHmacKey().get());
            }
            if (properties.getProfile() != null && !properties.getProfile().isBlank()) {
                request.profile(properties.getProfile().strip());
            }
            return request.build();
        } catch (InvalidInputException e) {
            throw new InvalidInputException(PROPERTY_OF_FIELD.getOrDefault(e.field(), e.field()), e.value(), e.problem());
        }
    }

    /**
     * The ACME account the properties set up: {@code autocert4j.email}, the consent of
     * {@code autocert4j.accept-terms-of-service} recorded as the link the CA shows, and
     * {@code autocert4j.eab.*}.
     *
     * @param properties     the properties
     * @param termsOfService the link of the CA's Terms of Service, or empty where the CA publishes
     *                       none (or, only to check the properties, where it was not asked)
     * @return the account
     * @throws InvalidInputException naming the property that is missing or wrong
     */
    static AccountRegistration account(AutoCertProperties properties, Optional<URI> termsOfService) {
        try {
            if (!properties.isAcceptTermsOfService()) {
                throw new InvalidInputException("termsOfServiceAccepted", "false",
                        "must be true: the admin has to accept the CA's Terms of Service first");
            }
            if (properties.getEmail() == null) {
                throw new InvalidInputException("email", null, "is missing: the CA needs a registration email");
            }
            AccountRegistration.Builder account = AccountRegistration.builder().email(properties.getEmail());
            AutoCertProperties.Eab eab = properties.getEab();
            if (eab.getKeyId() != null || eab.getHmacKey() != null) {
                if (eab.getKeyId() == null || eab.getHmacKey() == null) {
                    throw new InvalidInputException("autocert4j.eab", null, "needs both key-id and hmac-key");
                }
                account.externalAccountBinding(eab.getKeyId(), eab.getHmacKey());
            }
            return termsOfService.map(account::termsOfServiceAccepted).orElseGet(account::noTermsOfService).build();
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

    /**
     * The DNS-01 solver of autocert4j.dns.*: the dns-01 plugin (autocert4j-challenge-dns) with the
     * provider, its settings and the resolvers; a wrong setting is named by its property.
     */
    static ChallengeSolver dnsSolver(AutoCertProperties.Dns dns) {
        ClassLoader loader = AutoCertSettings.class.getClassLoader();
        if (!NamedPlugins.all(ChallengeSolverFactory.class, loader).containsKey("dns-01")) {
            throw new InvalidInputException("autocert4j.dns.provider", dns.getProvider(), "needs autocert4j-challenge-dns"
                    + " on the class path (and, for route53, azure or google, that provider's module)");
        }
        Map<String, String> settings = new java.util.LinkedHashMap<>(dns.getSettings());
        settings.put("provider", dns.getProvider().strip());
        List<String> resolvers = dns.getResolvers().stream().filter(r -> r != null && !r.isBlank()).map(String::strip)
                .toList();
        if (!resolvers.isEmpty()) {
            settings.put("resolver", String.join(",", resolvers));
        }
        try {
            // the dns-01 plugin checks each setting against the chosen provider's own, naming the provider
            return NamedPlugins.find(ChallengeSolverFactory.class, "dns-01", loader)
                    .create(dev.autocert4j.spi.PluginSettings.of("dns-01", settings));
        } catch (InvalidInputException e) {
            String property = switch (e.field()) {
                case "provider", "dnsproviderfactory", "dnsprovider" -> "autocert4j.dns.provider";
                case "resolver" -> "autocert4j.dns.resolvers";
                default -> "autocert4j.dns.settings." + e.field();
            };
            throw new InvalidInputException(property, e.value(), e.problem());
        }
    }
}
