/**
 * autocert4j for Jetty 12: {@code AcmeChallengeHandler} answers HTTP-01 ahead of every other
 * handler, and {@code JettyBindings} lists the server's connectors, serves certificates through
 * the SNI key manager and opens HTTPS at run time, answering TLS-ALPN-01 there.
 */
module dev.autocert4j.jetty {
    requires transitive dev.autocert4j;
    requires transitive dev.autocert4j.http;
    requires transitive org.eclipse.jetty.server;
    requires org.eclipse.jetty.alpn.server;
    requires org.slf4j;

    exports dev.autocert4j.jetty;
}
