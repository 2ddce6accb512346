/**
 * autocert4j for Netty 4.2: {@code AcmeChallengeHandler} answers HTTP-01 in an HTTP pipeline, and
 * {@code NettyBindings} serves certificates through an {@code SslContext} backed by the SNI key
 * manager and opens HTTPS at run time.
 */
module dev.autocert4j.netty {
    requires transitive dev.autocert4j;
    requires transitive dev.autocert4j.http;
    requires transitive io.netty.handler;
    requires transitive io.netty.codec.http;
    requires transitive io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.common;
    requires org.slf4j;

    exports dev.autocert4j.netty;
}
