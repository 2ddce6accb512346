package dev.autocert4j.dns.powerdns;

import dev.autocert4j.InvalidInputException;
import dev.autocert4j.dns.internal.DnsApi;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.PluginSettings;

import java.net.URI;
import java.util.Set;

/**
 * The {@code powerdns} DNS provider: PowerDNS Authoritative Server's HTTP API. Settings:
 * {@code api-url} (the base URL, such as {@code http://127.0.0.1:8081}, without {@code /api/v1}, as
 * lego and external-dns take it; required), {@code api-key-file} or {@code api-key-variable} (the
 * file or environment variable holding PowerDNS's {@code api-key}; required) and {@code server-id}
 * (default {@code localhost}).
 */
public final class PowerDnsProviderFactory implements DnsProviderFactory {

    /** The name it is chosen by. */
    public static final String NAME = "powerdns";

    /** For {@link java.util.ServiceLoader}. */
    public PowerDnsProviderFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settings() {
        return Set.of("api-url", "api-key-file", "api-key-variable", "server-id");
    }

    @Override
    public DnsProvider create(PluginSettings settings) {
        URI apiUrl = apiUrl(settings.required("api-url"));
        String serverId = settings.optional("server-id").orElse("localhost");
        String apiKey = settings.requiredSecret("api-key");
        DnsApi api = DnsApi.builder(NAME, apiUrl.resolve(apiUrl.getRawPath() + "/api/v1"))
                .secretHeader("X-API-Key", apiKey, apiKey)
                .refusalHint("the key in api-key-file or api-key-variable is not the api-key PowerDNS is configured with")
                .build();
        return new PowerDnsProvider(api, serverId);
    }

    private static URI apiUrl(String text) {
        String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        if (trimmed.endsWith("/api/v1") || trimmed.endsWith("/api")) {
            throw new InvalidInputException("api-url", text, "must be PowerDNS's base URL without /api/v1, such as"
                    + " http://127.0.0.1:8081");
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("api-url", text, "is not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidInputException("api-url", text, "must be an http or https URL with a host and no user"
                    + " info or query, such as http://127.0.0.1:8081");
        }
        return uri;
    }
}
