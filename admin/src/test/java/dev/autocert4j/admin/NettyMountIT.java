package dev.autocert4j.admin;

import dev.autocert4j.admin.netty.AdminNettyHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The admin page as a handler ({@link AdminNettyHandler}) in a Netty 4.2 pipeline, ahead of the portal's own. */
class NettyMountIT extends MountScenarios {

    private EventLoopGroup loops;
    private ExecutorService adminThreads;
    private Channel channel;

    @Override
    int start(AdminConsole console) throws Exception {
        loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        adminThreads = Executors.newFixedThreadPool(2, new NamedThreads("netty-mount-it-admin"));
        AdminNettyHandler admin = new AdminNettyHandler(console, adminThreads);
        channel = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel child) {
                        child.pipeline().addLast(new HttpServerCodec(), AdminNettyHandler.aggregator(), admin, new Portal());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        return ((java.net.InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    void stop() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (loops != null) {
            loops.shutdownGracefully().syncUninterruptibly();
        }
        if (adminThreads != null) {
            adminThreads.shutdownNow();
        }
    }

    @Override
    String name() {
        return "netty";
    }

    /** The portal's own handler: every request the admin page passes on gets 404. */
    private static final class Portal extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
            var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
            response.headers().set("Content-Length", 0);
            context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
