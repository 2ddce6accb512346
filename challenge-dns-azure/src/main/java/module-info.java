/**
 * autocert4j's DNS provider for Azure DNS, chosen by the name {@code azure}: see
 * {@code dev.autocert4j.dns.azure.AzureDnsProviderFactory} for its settings.
 */
module dev.autocert4j.dns.azure {
    requires transitive dev.autocert4j;
    requires com.azure.core;
    requires com.azure.core.management;
    requires com.azure.core.http.jdk.httpclient;
    requires com.azure.identity;
    requires com.azure.resourcemanager.dns;
    requires com.azure.resourcemanager.resources;

    exports dev.autocert4j.dns.azure;

    provides dev.autocert4j.spi.DnsProviderFactory with dev.autocert4j.dns.azure.AzureDnsProviderFactory;
}
