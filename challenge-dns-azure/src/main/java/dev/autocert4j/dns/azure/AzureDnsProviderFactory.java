package dev.autocert4j.dns.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.resourcemanager.dns.DnsZoneManager;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.PluginSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The DNS provider for Azure DNS, chosen by the name {@code azure}: it writes the TXT records of DNS-01 into
 * a public DNS zone through the Azure SDK for Java's DNS management library. Azure DNS applies a record set
 * before it answers, so there is no change to wait for here; the propagation check asks the zone's name servers.
 *
 * <p>Credentials are the Azure SDK's {@code DefaultAzureCredential}, as for the Azure CLI and every Azure
 * library: the environment ({@code AZURE_CLIENT_ID}, {@code AZURE_TENANT_ID} with {@code AZURE_CLIENT_SECRET}
 * or {@code AZURE_CLIENT_CERTIFICATE_PATH}), workload identity, a managed identity, or the signed-in Azure CLI,
 * PowerShell or developer tools. Settings:
 * <ul>
 *   <li>{@code subscription-id} (required) and {@code resource-group} (required): where the zone is;</li>
 *   <li>{@code tenant-id}: the Microsoft Entra tenant, for a service principal or to pin the default
 *       credential to one tenant;</li>
 *   <li>{@code client-id} with {@code client-secret-file} (a file only its owner may read) or
 *       {@code client-secret-variable} (an environment variable's name): a service principal's secret instead of
 *       the default credential (needs {@code tenant-id});</li>
 *   <li>{@code cloud}: {@code public} (the default), {@code china} or {@code us-government};</li>
 *   <li>{@code endpoint}: the Azure Resource Manager URL, an https URL, to reach it through a private endpoint
 *       or a test double.</li>
 * </ul>
 * The credential needs the role {@code DNS Zone Contributor} on the zone (or its resource group).
 *
 * @since 0.2.0
 */
public final class AzureDnsProviderFactory implements DnsProviderFactory {

    /** The name it is chosen by. */
    public static final String NAME = "azure";

    private static final String CLIENT_SECRET = "client-secret";

    /** For {@link java.util.ServiceLoader}. */
    public AzureDnsProviderFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settings() {
        return Set.of("subscription-id", "resource-group", "tenant-id", "client-id", CLIENT_SECRET + "-file",
                CLIENT_SECRET + "-variable", "cloud", "endpoint");
    }

    @Override
    public DnsProvider create(PluginSettings settings) {
        settings.requireOnly(settings());
        AzureEnvironment environment = environment(settings);
        return create(settings, credential(settings, environment), new JdkHttpClientBuilder().build());
    }

    /** Makes the provider with the given credential and HTTP client. */
    AzureDnsProvider create(PluginSettings settings, TokenCredential credential, HttpClient httpClient) {
        settings.requireOnly(settings());
        String subscriptionId = settings.required("subscription-id");
        String resourceGroup = settings.required("resource-group");
        AzureProfile profile = new AzureProfile(settings.optional("tenant-id").orElse(null), subscriptionId,
                environment(settings));
        DnsZoneManager manager = DnsZoneManager.configure().withHttpClient(httpClient).authenticate(credential, profile);
        return new AzureDnsProvider(manager.serviceClient().getRecordSets(), resourceGroup);
    }

    private static TokenCredential credential(PluginSettings settings, AzureEnvironment environment) {
        Optional<String> clientId = settings.optional("client-id");
        Optional<String> clientSecret = settings.secret(CLIENT_SECRET);
        Optional<String> tenantId = settings.optional("tenant-id");
        if (clientId.isPresent() != clientSecret.isPresent()) {
            throw clientId.isPresent()
                    ? new InvalidInputException(CLIENT_SECRET + "-file", null, "or " + CLIENT_SECRET + "-variable is"
                            + " required by the " + NAME + " plugin when client-id is given")
                    : new InvalidInputException("client-id", null, "is required by the " + NAME + " plugin when a"
                            + " client secret is given");
        }
        if (clientId.isPresent()) {
            return new ClientSecretCredentialBuilder()
                    .tenantId(tenantId.orElseThrow(() -> new InvalidInputException("tenant-id", null, "is required by"
                            + " the " + NAME + " plugin when client-id is given")))
                    .clientId(clientId.get())
                    .clientSecret(clientSecret.get())
                    .authorityHost(environment.getActiveDirectoryEndpoint())
                    .build();
        }
        DefaultAzureCredentialBuilder credential = new DefaultAzureCredentialBuilder()
                .authorityHost(environment.getActiveDirectoryEndpoint());
        tenantId.ifPresent(credential::tenantId);
        return credential.build();
    }

    private static AzureEnvironment environment(PluginSettings settings) {
        String cloud = settings.optional("cloud").orElse("public").toLowerCase(Locale.ROOT);
        AzureEnvironment environment = switch (cloud) {
            case "public" -> AzureEnvironment.AZURE;
            case "china" -> AzureEnvironment.AZURE_CHINA;
            case "us-government" -> AzureEnvironment.AZURE_US_GOVERNMENT;
            default -> throw new InvalidInputException("cloud", cloud, "must be public, china or us-government");
        };
        Optional<String> endpoint = settings.optional("endpoint");
        if (endpoint.isEmpty()) {
            return environment;
        }
        Map<String, String> endpoints = new HashMap<>(environment.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", httpsUrl(endpoint.get()));
        return new AzureEnvironment(endpoints);
    }

    private static String httpsUrl(String text) {
        try {
            URI uri = new URI(text);
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                // the SDK sends a bearer token only over https
                throw new InvalidInputException("endpoint", text, "must be an https URL, such as"
                        + " https://management.azure.com/");
            }
            return text.endsWith("/") ? text : text + "/";
        } catch (URISyntaxException e) {
            throw new InvalidInputException("endpoint", text, "is not a URL: " + e.getReason());
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
