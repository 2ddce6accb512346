/**
 * autocert4j's DNS-01 challenge: {@code Dns01Responder} puts the TXT records in place through a
 * {@code dev.autocert4j.spi.DnsProvider} and waits until the zone's authoritative servers answer them;
 * {@code Rfc2136Provider} updates any server that takes RFC 2136 dynamic updates signed with TSIG.
 */
module dev.autocert4j.dns {
    requires transitive dev.autocert4j;
    requires java.net.http;
    requires org.dnsjava;
    requires org.slf4j;

    exports dev.autocert4j.dns;

    uses dev.autocert4j.spi.DnsProviderFactory;

    provides dev.autocert4j.spi.ChallengeSolverFactory with dev.autocert4j.dns.Rfc2136ResponderFactory;
    provides dev.autocert4j.spi.DnsProviderFactory with
            dev.autocert4j.dns.providers.ExecProviderFactory,
            dev.autocert4j.dns.providers.CloudflareProviderFactory,
            dev.autocert4j.dns.providers.DigitalOceanProviderFactory,
            dev.autocert4j.dns.providers.WebhookProviderFactory,
            dev.autocert4j.dns.providers.AcmeDnsProviderFactory;
}
