/**
 * autocert4j's admin page: the Configure Let's Encrypt dialog, the Certificates view and a versioned
 * JSON API over an {@code AutoCert}, behind a login. {@code AdminConsole} answers server-neutral
 * requests; {@code AdminHttpHandler} mounts it on the JDK's HTTP server.
 */
module dev.autocert4j.admin {
    requires transitive dev.autocert4j;
    requires transitive jdk.httpserver;
    requires org.slf4j;

    exports dev.autocert4j.admin;
}
