/**
 * autocert4j's core: the API hosts call ({@code dev.autocert4j}: {@code AutoCert}, its values,
 * exceptions and {@code AutoCertListener}), the SPI plugins implement ({@code dev.autocert4j.spi}:
 * {@code BindingProvider}, {@code ChallengeSolver}, {@code RenewalPolicy}, the named plugin
 * factories), and the ACME engine, which is not exported.
 * No acme4j or Bouncy Castle type appears in an exported signature.
 */
module dev.autocert4j {
    requires java.naming;
    requires java.net.http;
    requires org.shredzone.acme4j;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.slf4j;

    exports dev.autocert4j;
    exports dev.autocert4j.tls;
    exports dev.autocert4j.notify;
    exports dev.autocert4j.spi;

    uses dev.autocert4j.spi.BindingProvider;
    uses dev.autocert4j.BindingProvider;
    uses dev.autocert4j.ChallengeResponder;
    uses dev.autocert4j.CertificateStore;
    uses dev.autocert4j.spi.RenewalPolicy;
    uses dev.autocert4j.RenewalPolicy;
    uses dev.autocert4j.spi.CertificateStoreFactory;
    uses dev.autocert4j.spi.ChallengeSolverFactory;
    uses dev.autocert4j.spi.DnsProviderFactory;

    provides dev.autocert4j.spi.ChallengeSolverFactory with dev.autocert4j.tls.TlsAlpn01SolverFactory;
}
