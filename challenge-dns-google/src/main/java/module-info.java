/**
 * autocert4j's DNS provider for Google Cloud DNS, chosen by the name {@code google}: see
 * {@code dev.autocert4j.dns.google.GoogleCloudDnsProviderFactory} for its settings.
 */
@SuppressWarnings("requires-automatic") // Google's client jars are automatic modules
module dev.autocert4j.dns.google {
    requires transitive dev.autocert4j;
    requires com.google.api.services.dns;
    requires google.api.client;
    requires com.google.api.client;
    requires com.google.api.client.json.gson;
    requires com.google.auth;
    requires com.google.auth.oauth2;

    exports dev.autocert4j.dns.google;

    provides dev.autocert4j.spi.DnsProviderFactory with dev.autocert4j.dns.google.GoogleCloudDnsProviderFactory;
}
