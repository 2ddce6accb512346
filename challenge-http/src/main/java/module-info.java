/**
 * HTTP-01 for autocert4j: {@code Http01Responder} answers challenge tokens on the JDK HTTP server
 * or through any server's own handler, and {@code Http01Listener} is a hardened standalone
 * listener for hosts without an HTTP server on port 80.
 */
module dev.autocert4j.http {
    requires transitive dev.autocert4j;
    requires transitive jdk.httpserver;
    requires org.slf4j;

    exports dev.autocert4j.http;

    provides dev.autocert4j.spi.ChallengeSolverFactory with dev.autocert4j.http.Http01ResponderFactory;
}
