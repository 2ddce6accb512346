/**
 * autocert4j's DNS provider for Amazon Route 53, chosen by the name {@code route53}: see
 * {@code dev.autocert4j.dns.route53.Route53ProviderFactory} for its settings.
 */
@SuppressWarnings({"requires-automatic", "module"}) // the AWS SDK's jars are automatic modules; the name is the package's
module dev.autocert4j.dns.route53 {
    requires transitive dev.autocert4j;
    requires software.amazon.awssdk.services.route53;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.urlconnection;
    requires software.amazon.awssdk.identity.spi;
    requires software.amazon.awssdk.utils;

    exports dev.autocert4j.dns.route53;

    provides dev.autocert4j.spi.DnsProviderFactory with dev.autocert4j.dns.route53.Route53ProviderFactory;
}
