/**
 * autocert4j's DNS-01 challenge: {@code Dns01Responder} follows a CNAME at
 * {@code _acme-challenge.<name>}, finds the zone by an SOA walk, puts the TXT records in place through
 * a {@code dev.autocert4j.spi.DnsProvider} and waits until every authoritative server of the zone
 * answers them; {@code DnsProviders} makes a provider by name ({@code rfc2136} for any server that
 * takes RFC 2136 dynamic updates signed with TSIG, {@code powerdns} for PowerDNS's HTTP API, and the
 * providers of other jars); the {@code dns-01} solver plugin puts the two together from settings.
 */
module dev.autocert4j.dns {
    requires transitive dev.autocert4j;
    requires java.net.http;
    requires org.dnsjava;
    requires org.slf4j;

    exports dev.autocert4j.dns;

    uses dev.autocert4j.spi.DnsProviderFactory;

    provides dev.autocert4j.spi.ChallengeSolverFactory with dev.autocert4j.dns.Rfc2136ResponderFactory,
            dev.autocert4j.dns.Dns01SolverFactory;
    provides dev.autocert4j.spi.DnsProviderFactory with dev.autocert4j.dns.Rfc2136ProviderFactory,
            dev.autocert4j.dns.powerdns.PowerDnsProviderFactory,
            dev.autocert4j.dns.providers.ExecProviderFactory,
            dev.autocert4j.dns.providers.CloudflareProviderFactory,
            dev.autocert4j.dns.providers.DigitalOceanProviderFactory,
            dev.autocert4j.dns.providers.WebhookProviderFactory,
            dev.autocert4j.dns.providers.AcmeDnsProviderFactory;
}
