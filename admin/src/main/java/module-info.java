/**
 * autocert4j's admin page: the Configure Let's Encrypt dialog, the Certificates view and a versioned
 * JSON API over an {@code AutoCert}, behind a login. {@code AdminConsole} answers server-neutral
 * requests; {@code AdminHttpHandler} mounts it on the JDK's HTTP server, {@code AdminServlet} in a
 * Servlet container, {@code AdminNettyHandler} in a Netty pipeline (the Servlet API and Netty, which
 * the host already has, are optional dependencies).
 */
module dev.autocert4j.admin {
    requires transitive dev.autocert4j;
    requires transitive jdk.httpserver;
    requires org.slf4j;
    requires static jakarta.servlet;
    requires static io.netty.buffer;
    requires static io.netty.common;
    requires static io.netty.transport;
    requires static io.netty.codec.http;
    requires static io.netty.handler;

    exports dev.autocert4j.admin;
    exports dev.autocert4j.admin.servlet;
    exports dev.autocert4j.admin.netty;
}
