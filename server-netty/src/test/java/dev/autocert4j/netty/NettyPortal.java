package dev.autocert4j.netty;

import dev.autocert4j.http.Http01Responder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A small Netty portal for the tests: plain HTTP redirects everything to HTTPS, HTTPS wants a
 * login; the challenge handler sits ahead of both.
 */
final class NettyPortal implements AutoCloseable {

    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    final ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class);
    final ChannelHandler httpInitializer;
    private final Channel plain;

    NettyPortal(Http01Responder responder, int httpPort, int httpsPort) throws InterruptedException {
        AcmeChallengeHandler challenges = new AcmeChallengeHandler(responder);
        httpInitializer = new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new HttpServerCodec(), challenges, new HttpObjectAggregator(8192),
                        new PortalHandler(httpsPort));
            }
        };
        plain = bootstrap.clone().childHandler(httpInitializer)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort)).sync().channel();
    }

    /** Redirects plain HTTP to HTTPS; on HTTPS, answers 401 without credentials. */
    private static final class PortalHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final int httpsPort;

        PortalHandler(int httpsPort) {
            this.httpsPort = httpsPort;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response;
            if (ctx.pipeline().get(SslHandler.class) == null) {
                String host = request.headers().get(HttpHeaderNames.HOST, "localhost").replaceFirst(":\\d+$", "");
                response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.MOVED_PERMANENTLY);
                response.headers().set(HttpHeaderNames.LOCATION, "https://" + host + ":" + httpsPort + request.uri());
            } else {
                boolean authorized = request.headers().contains(HttpHeaderNames.AUTHORIZATION);
                response = new DefaultFullHttpResponse(request.protocolVersion(),
                        authorized ? HttpResponseStatus.OK : HttpResponseStatus.UNAUTHORIZED, Unpooled.EMPTY_BUFFER);
            }
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void close() {
        plain.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
