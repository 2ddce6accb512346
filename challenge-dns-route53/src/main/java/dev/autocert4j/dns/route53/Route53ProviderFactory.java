package dev.autocert4j.dns.route53;

import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.PluginSettings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.Route53ClientBuilder;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The DNS provider for Amazon Route 53, chosen by the name {@code route53}: it writes the TXT records of
 * DNS-01 into a hosted zone through the AWS SDK for Java 2, and waits until Route 53 says the change is
 * {@code INSYNC} on all its servers.
 *
 * <p>Credentials come from the AWS SDK's default chain, as for the AWS CLI: the environment
 * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}), Java system properties, web identity,
 * {@code ~/.aws/credentials} and {@code ~/.aws/config} (with {@code AWS_PROFILE}), the container's or the
 * EC2 instance's role. Settings, all optional:
 * <ul>
 *   <li>{@code hosted-zone-id}: the hosted zone, such as {@code Z0123456789ABC}; by default the public
 *       hosted zone whose name is the zone's is looked up (which needs {@code route53:ListHostedZonesByName});</li>
 *   <li>{@code profile}: a named profile of {@code ~/.aws/credentials} instead of the default chain;</li>
 *   <li>{@code access-key-id} with {@code secret-access-key-file} (a file only its owner may read) or
 *       {@code secret-access-key-variable} (an environment variable's name): an access key instead of the
 *       default chain;</li>
 *   <li>{@code region}: the signing region, {@code aws-global} by default ({@code cn-north-1} for the
 *       China partition, {@code us-gov-west-1} for GovCloud);</li>
 *   <li>{@code endpoint}: the API's base URL, to reach Route 53 through a VPC endpoint or a test double;</li>
 *   <li>{@code wait-timeout}: seconds to wait for a change to be {@code INSYNC}, 120 by default.</li>
 * </ul>
 * The credential needs {@code route53:ListResourceRecordSets}, {@code route53:ChangeResourceRecordSets} and
 * {@code route53:GetChange} on the hosted zone.
 *
 * @since 0.2.0
 */
public final class Route53ProviderFactory implements DnsProviderFactory {

    /** The name it is chosen by. */
    public static final String NAME = "route53";

    private static final String SECRET_ACCESS_KEY = "secret-access-key";

    /** For {@link java.util.ServiceLoader}. */
    public Route53ProviderFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settings() {
        return Set.of("hosted-zone-id", "profile", "access-key-id", SECRET_ACCESS_KEY + "-file",
                SECRET_ACCESS_KEY + "-variable", "region", "endpoint", "wait-timeout");
    }

    @Override
    public DnsProvider create(PluginSettings settings) {
        return create(settings, Duration.ofSeconds(2), Clock.systemUTC());
    }

    /** Makes the provider with the given pace and clock for its wait until a change is in sync. */
    Route53Provider create(PluginSettings settings, Duration pollInterval, Clock clock) {
        settings.requireOnly(settings());
        Duration waitTimeout = Duration.ofSeconds(settings.integer("wait-timeout", 120, 1, 3600));
        Route53ClientBuilder client = Route53Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(settings.optional("region").orElse(Region.AWS_GLOBAL.id())))
                .credentialsProvider(credentials(settings));
        endpoint(settings).ifPresent(client::endpointOverride);
        return new Route53Provider(client.build(), settings.optional("hosted-zone-id"), waitTimeout,
                pollInterval, clock);
    }

    private static AwsCredentialsProvider credentials(PluginSettings settings) {
        Optional<String> accessKeyId = settings.optional("access-key-id");
        Optional<String> secretAccessKey = settings.secret(SECRET_ACCESS_KEY);
        Optional<String> profile = settings.optional("profile");
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw accessKeyId.isPresent()
                    ? new InvalidInputException(SECRET_ACCESS_KEY + "-file", null, "or " + SECRET_ACCESS_KEY
                            + "-variable is required by the " + NAME + " plugin when access-key-id is given")
                    : new InvalidInputException("access-key-id", null, "is required by the " + NAME
                            + " plugin when a secret access key is given");
        }
        if (accessKeyId.isPresent() && profile.isPresent()) {
            throw new InvalidInputException("profile", profile.get(), "cannot be given with access-key-id: choose one");
        }
        if (accessKeyId.isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId.get(), secretAccessKey.get()));
        }
        if (profile.isPresent()) {
            return ProfileCredentialsProvider.builder().profileName(profile.get()).build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static Optional<URI> endpoint(PluginSettings settings) {
        Optional<String> text = settings.optional("endpoint");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            if (uri.getHost() == null || !"https".equals(uri.getScheme()) && !isLoopbackHttp(uri)) {
                throw new InvalidInputException("endpoint", text.get(), "must be an https URL, such as"
                        + " https://route53.amazonaws.com (plain http only to this machine's loopback address)");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("endpoint", text.get(), "is not a URL: " + e.getReason());
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
