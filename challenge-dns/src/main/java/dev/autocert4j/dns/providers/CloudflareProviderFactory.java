package dev.autocert4j.dns.providers;

import dev.autocert4j.dns.internal.DnsApi;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.PluginSettings;

import java.net.URI;
import java.util.Set;

/**
 * The DNS provider for Cloudflare, by the name {@code cloudflare}, on its API v4 with an API token
 * (not the global API key). Create the token in Cloudflare's dashboard with the permissions
 * Zone:Read and DNS:Edit on the zones of the certificates' names.
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code api-token-file} or {@code api-token-variable} (one required): the file holding the API
 *       token (only its owner may read it), or the environment variable holding it.</li>
 *   <li>{@code api-url}: the API's base URL (default {@code https://api.cloudflare.com/client/v4});
 *       https, or http only to this machine.</li>
 * </ul>
 * Records are created with a TTL of 120 seconds.
 *
 * @since 0.2.0
 */
public final class CloudflareProviderFactory implements DnsProviderFactory {

    /** The name it is chosen by. */
    public static final String NAME = "cloudflare";
    /** The API's address unless {@code api-url} says otherwise. */
    public static final String DEFAULT_API_URL = "https://api.cloudflare.com/client/v4";

    /** For {@link java.util.ServiceLoader}. */
    public CloudflareProviderFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settings() {
        return Set.of("api-token-file", "api-token-variable", "api-url");
    }

    @Override
    public DnsProvider create(PluginSettings settings) {
        settings.requireOnly(settings());
        URI apiUrl = RecordInput.apiUrl("api-url", settings.optional("api-url").orElse(DEFAULT_API_URL));
        return new CloudflareProvider(api(apiUrl, settings.requiredSecret("api-token")).build());
    }

    static DnsApi.Builder api(URI apiUrl, String token) {
        return DnsApi.builder(NAME, apiUrl).secretHeader("Authorization", "Bearer " + token, token)
                .refusalHint("check that the API token is valid and has Zone:Read and DNS:Edit on the zone");
    }
}
