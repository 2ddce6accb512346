package dev.autocert4j.examples.servers;

import dev.autocert4j.AutoCert;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.netty.AcmeChallengeHandler;
import dev.autocert4j.netty.NettyBindings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;

import java.net.InetAddress;
import java.util.function.Supplier;

/**
 * Let's Encrypt for a Netty 4.2 portal: the challenge handler goes in the plain HTTP pipeline
 * right after the codec; HTTPS listeners get their TLS handler from the bindings.
 */
public final class NettyExample {

    private final AutoCert autoCert;
    private final NettyBindings bindings;
    private final Channel http;

    private NettyExample(AutoCert autoCert, NettyBindings bindings, Channel http) {
        this.autoCert = autoCert;
        this.bindings = bindings;
        this.http = http;
    }

    /**
     * Starts plain HTTP on a port with the portal's own handler behind the challenge handler.
     *
     * @param bootstrap the portal's bootstrap, event loops and channel type set
     * @param portal    makes the portal's own HTTP handler, one per channel
     * @param address   the address to listen on
     * @param httpPort  the plain HTTP port
     * @param ca        the CA, such as {@code CertificateAuthority.letsEncrypt()}
     * @param store     where certificates and enrollments are kept
     * @param names     the public names the portal is reached by
     * @return the running portal
     * @throws InterruptedException if interrupted while binding
     */
    public static NettyExample start(ServerBootstrap bootstrap, Supplier<ChannelHandler> portal, InetAddress address,
                                     int httpPort, CertificateAuthority ca, CertificateStore store, String... names)
            throws InterruptedException {
        // tag::glue[]
        Http01Responder challenges = new Http01Responder();
        AcmeChallengeHandler challengeHandler = new AcmeChallengeHandler(challenges);
        ChannelHandler pipeline = new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new HttpServerCodec(), challengeHandler, portal.get());
            }
        };
        NettyBindings bindings = NettyBindings.builder(names).http(httpPort).bindAddress(address)
                .opensHttpsWith(bootstrap, pipeline).build();  // HTTPS: TLS handler, then the same pipeline
        AutoCert autoCert = AutoCert.builder().certificateAuthority(ca).bindingProvider(bindings)
                .challengeSolver(challenges).certificateStore(store).build();
        // end::glue[]
        Channel http = bootstrap.clone().childHandler(pipeline).bind(address, httpPort).sync().channel();
        autoCert.start(); // puts stored certificates back on (opening HTTPS); renews them
        return new NettyExample(autoCert, bindings, http);
    }

    /** @return autocert4j, started: {@code enroll(..)} it once, when the admin registers */
    public AutoCert autoCert() {
        return autoCert;
    }

    /** Stops autocert4j and closes the portal's listeners. */
    public void stop() {
        autoCert.close();
        bindings.closeOpenedListeners();
        http.close().syncUninterruptibly();
    }
}
