package dev.autocert4j.dns.providers;

import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.PluginSettings;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The DNS provider that calls a web hook of the admin's, by the name {@code webhook}: to add a record
 * it POSTs {@code {"action":"present","fqdn":"_acme-challenge.portal.example.com.","value":"..."}},
 * to remove it the same with {@code "action":"cleanup"} (the FQDN with its trailing dot, as the
 * {@code exec} provider passes it). Each request carries {@code X-Autocert4j-Timestamp} (Unix seconds)
 * and {@code X-Autocert4j-Signature: sha256=HEX}, the HMAC-SHA256 of
 * {@code TIMESTAMP + "." + BODY} (the body's exact bytes) under the shared secret. The hook should
 * compare the signature in constant time, refuse a timestamp more than a few minutes from its own
 * clock, act idempotently (a value added twice is one value; removing a missing value is done), and
 * remove only the value it is given; it answers 2xx with an empty body or JSON when done, 401 or 403
 * when the signature is wrong (its JSON {@code message} or {@code error} is quoted), and anything
 * else is an error. Redirects are not followed.
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code url} (required): the hook's URL; https, or http only to this machine; no query.</li>
 *   <li>{@code secret-file} or {@code secret-variable} (one required): the file holding the shared
 *       secret (only its owner may read it), or the environment variable holding it; at least 32
 *       characters, such as {@code openssl rand -hex 32} prints.</li>
 *   <li>{@code timeout-seconds}: how long one request may take (default 30, 1 to 300).</li>
 * </ul>
 *
 * @since 0.2.0
 */
public final class WebhookProviderFactory implements DnsProviderFactory {

    /** The name it is chosen by. */
    public static final String NAME = "webhook";
    /** The fewest characters a secret may have. */
    public static final int MIN_SECRET_LENGTH = 32;

    /** For {@link java.util.ServiceLoader}. */
    public WebhookProviderFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settings() {
        return Set.of("url", "secret-file", "secret-variable", "timeout-seconds");
    }

    @Override
    public DnsProvider create(PluginSettings settings) {
        settings.requireOnly(settings());
        URI url = RecordInput.apiUrl("url", settings.required("url"));
        Duration timeout = Duration.ofSeconds(settings.integer("timeout-seconds", 30, 1, 300));
        String secret = settings.requiredSecret("secret");
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new InvalidInputException(settings.optional("secret-file").isPresent() ? "secret-file" : "secret-variable",
                    null, "holds a secret shorter than " + MIN_SECRET_LENGTH + " characters"
                    + " (openssl rand -hex 32 prints one)");
        }
        return new WebhookProvider(url, secret, timeout, Clock.systemUTC(), duration -> Thread.sleep(duration.toMillis()));
    }
}
