package dev.autocert4j.dns.google;

import com.google.api.client.http.HttpBackOffUnsuccessfulResponseHandler;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.HttpUnsuccessfulResponseHandler;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.ExponentialBackOff;
import com.google.api.client.util.Sleeper;
import com.google.api.services.dns.Dns;
import com.google.api.services.dns.DnsScopes;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.PluginSettings;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The DNS provider for Google Cloud DNS, chosen by the name {@code google}: it writes the TXT records of
 * DNS-01 into a public managed zone through Google's API client for Cloud DNS (v1), and waits until Cloud DNS
 * says the change is {@code done}.
 *
 * <p>Credentials are Google's application default credentials, as for {@code gcloud} and every Google
 * client library: the key file named by {@code GOOGLE_APPLICATION_CREDENTIALS}, the file
 * {@code gcloud auth application-default login} writes, or the service account of the Compute Engine, GKE or
 * Cloud Run host. Settings:
 * <ul>
 *   <li>{@code project}: the Google Cloud project that holds the zone; required unless the service account
 *       key names one;</li>
 *   <li>{@code service-account-key-file}: a service account's JSON key, instead of the default credentials
 *       (a file only its owner may read), or {@code service-account-key-variable}: the environment variable
 *       that holds the key's JSON;</li>
 *   <li>{@code managed-zone}: the managed zone's name, such as {@code example-com}; by default the public
 *       managed zone whose DNS name is the zone's is looked up;</li>
 *   <li>{@code endpoint}: the API's root URL, {@code https://dns.googleapis.com/} by default (for a private
 *       endpoint or a test double);</li>
 *   <li>{@code wait-timeout}: seconds to wait for a change to be done, 120 by default.</li>
 * </ul>
 * The credential needs the role {@code roles/dns.admin} on the project (or {@code dns.changes.create},
 * {@code dns.changes.get}, {@code dns.resourceRecordSets.list} and {@code dns.managedZones.list}).
 *
 * @since 0.2.0
 */
public final class GoogleCloudDnsProviderFactory implements DnsProviderFactory {

    /** The name it is chosen by. */
    public static final String NAME = "google";

    private static final String SERVICE_ACCOUNT_KEY = "service-account-key";
    private static final String DEFAULT_ENDPOINT = "https://dns.googleapis.com/";
    private static final int TOO_MANY_REQUESTS = 429;
    private static final int RATE_LIMIT_RETRIES = 4;

    /** For {@link java.util.ServiceLoader}. */
    public GoogleCloudDnsProviderFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settings() {
        return Set.of("project", SERVICE_ACCOUNT_KEY + "-file", SERVICE_ACCOUNT_KEY + "-variable", "managed-zone",
                "endpoint", "wait-timeout");
    }

    @Override
    public DnsProvider create(PluginSettings settings) {
        return create(settings, Duration.ofSeconds(2), Clock.systemUTC(), Sleeper.DEFAULT);
    }

    /**
     * Makes the provider with the given pace and clock for its wait until a change is done, and the given
     * sleeper for its pauses before it asks again after a 429.
     */
    GoogleCloudDnsProvider create(PluginSettings settings, Duration pollInterval, Clock clock, Sleeper rateLimitSleeper) {
        settings.requireOnly(settings());
        Duration waitTimeout = Duration.ofSeconds(settings.integer("wait-timeout", 120, 1, 3600));
        String endpoint = endpoint(settings);
        HttpTransport transport = new NetHttpTransport();
        GoogleCredentials credentials = credentials(settings, transport);
        String project = settings.optional("project").or(() -> projectOf(credentials)).orElseThrow(() ->
                new InvalidInputException("project", null, "is required by the " + NAME + " plugin: the Google Cloud"
                        + " project that holds the zone"));
        Dns dns = new Dns.Builder(transport, GsonFactory.getDefaultInstance(), requests(credentials, rateLimitSleeper))
                .setApplicationName("autocert4j")
                .setRootUrl(endpoint)
                .build();
        return new GoogleCloudDnsProvider(dns, project, settings.optional("managed-zone"), waitTimeout, pollInterval, clock);
    }

    /**
     * Each request carries the credential's token (refreshed once on a 401, as Google's adapter does) and is
     * asked again a few times, backing off, when Cloud DNS answers 429: a short rate limit is ridden out.
     */
    private static HttpRequestInitializer requests(GoogleCredentials credentials, Sleeper sleeper) {
        HttpCredentialsAdapter authorization = new HttpCredentialsAdapter(credentials);
        return request -> {
            authorization.initialize(request);
            HttpUnsuccessfulResponseHandler refreshOnUnauthorized = request.getUnsuccessfulResponseHandler();
            HttpBackOffUnsuccessfulResponseHandler backOffOnRateLimit = new HttpBackOffUnsuccessfulResponseHandler(
                    new ExponentialBackOff.Builder().setInitialIntervalMillis(500).setMaxIntervalMillis(4_000).build())
                    .setBackOffRequired(response -> response.getStatusCode() == TOO_MANY_REQUESTS)
                    .setSleeper(sleeper);
            request.setNumberOfRetries(RATE_LIMIT_RETRIES);
            request.setUnsuccessfulResponseHandler((failed, response, supportsRetry) ->
                    refreshOnUnauthorized.handleResponse(failed, response, supportsRetry)
                            || backOffOnRateLimit.handleResponse(failed, response, supportsRetry));
        };
    }

    private static GoogleCredentials credentials(PluginSettings settings, HttpTransport transport) {
        Optional<String> key = settings.secret(SERVICE_ACCOUNT_KEY);
        try {
            GoogleCredentials credentials = key.isPresent()
                    ? ServiceAccountCredentials.fromStream(new ByteArrayInputStream(key.get().getBytes(StandardCharsets.UTF_8)),
                            () -> transport)
                    : GoogleCredentials.getApplicationDefault(() -> transport);
            return credentials.createScopedRequired() ? credentials.createScoped(DnsScopes.NDEV_CLOUDDNS_READWRITE)
                    : credentials;
        } catch (IOException e) {
            if (key.isPresent()) {
                // the parser's message never quotes the key
                throw new InvalidInputException(SERVICE_ACCOUNT_KEY + (settings.optional(SERVICE_ACCOUNT_KEY + "-file")
                        .isPresent() ? "-file" : "-variable"), null, "does not hold a service account key: " + e.getMessage());
            }
            throw new AutoCertException("Google's application default credentials were not found: " + e.getMessage()
                    + " Set GOOGLE_APPLICATION_CREDENTIALS, run gcloud auth application-default login, or give "
                    + SERVICE_ACCOUNT_KEY + "-file", e);
        }
    }

    private static Optional<String> projectOf(GoogleCredentials credentials) {
        return credentials instanceof ServiceAccountCredentials serviceAccount
                ? Optional.ofNullable(serviceAccount.getProjectId()) : Optional.empty();
    }

    private static String endpoint(PluginSettings settings) {
        String text = settings.optional("endpoint").orElse(DEFAULT_ENDPOINT);
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null || !"https".equals(uri.getScheme()) && !isLoopbackHttp(uri)) {
                throw new InvalidInputException("endpoint", text, "must be an https URL, such as " + DEFAULT_ENDPOINT
                        + " (plain http only to this machine's loopback address)");
            }
            return text.endsWith("/") ? text : text + "/";
        } catch (URISyntaxException e) {
            throw new InvalidInputException("endpoint", text, "is not a URL: " + e.getReason());
        }
    }

    private static boolean isLoopbackHttp(URI uri) {
        String host = uri.getHost().replace("[", "").replace("]", "");
        return "http".equals(uri.getScheme())
                && (host.equals("localhost") || host.startsWith("127.") || host.equals("::1"));
    }

    @Override
    public String toString() {
        return NAME;
    }
}
