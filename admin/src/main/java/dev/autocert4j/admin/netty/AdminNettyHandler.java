package dev.autocert4j.admin.netty;

import dev.autocert4j.admin.AdminConsole;
import dev.autocert4j.admin.AdminRequest;
import dev.autocert4j.admin.AdminResponse;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * The admin page in a Netty 4.2 HTTP pipeline: answers requests under the console's mount path and
 * passes every other request on. It needs whole requests, so an {@link HttpObjectAggregator} goes
 * before it ({@link #aggregator()}); the console's work (which reads the store and may call the CA)
 * runs on the executor given, never on the event loop.
 * <pre>{@code
 * channel.pipeline().addLast(new HttpServerCodec(), AdminNettyHandler.aggregator(),
 *         new AdminNettyHandler(console, adminExecutor), portalHandler);
 * }</pre>
 */
public final class AdminNettyHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final AdminConsole console;
    private final Executor executor;

    /**
     * Creates the handler; one may be shared by every channel.
     *
     * @param console  the console to answer with
     * @param executor where the console's work runs (such as a small fixed thread pool)
     */
    public AdminNettyHandler(AdminConsole console, Executor executor) {
        super(false);
        this.console = requireNonNull(console, "console");
        this.executor = requireNonNull(executor, "executor");
    }

    /** @return an aggregator of whole requests as large as the console reads; larger ones get 413 */
    public static HttpObjectAggregator aggregator() {
        return new HttpObjectAggregator(AdminRequest.MAX_BODY_BYTES);
    }

    /** @return true: one instance may serve every channel */
    @Override
    public boolean isSharable() {
        return true;
    }

    /** Answers a request under the mount path with the console; passes any other on. */
    @Override
    protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).rawPath();
        if (!path.equals(console.mountPath()) && !path.startsWith(console.mountPath() + "/")) {
            context.fireChannelRead(request);
            return;
        }
        AdminRequest adminRequest;
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        try {
            adminRequest = adminRequest(context, request, path);
        } finally {
            request.release();
        }
        try {
            executor.execute(() -> write(context, console.handle(adminRequest), keepAlive));
        } catch (RejectedExecutionException busy) {
            FullHttpResponse unavailable = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SERVICE_UNAVAILABLE);
            unavailable.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            context.writeAndFlush(unavailable).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static AdminRequest adminRequest(ChannelHandlerContext context, FullHttpRequest request, String path) {
        AdminRequest.Builder builder = AdminRequest.builder(request.method().name(), path)
                .secure(context.pipeline().get(SslHandler.class) != null).nativeRequest(request)
                .body(ByteBufUtil.getBytes(request.content()));
        if (context.channel().remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
            builder.remoteAddress(remote.getAddress());
        } else {
            builder.remoteAddress(InetAddress.getLoopbackAddress());
        }
        for (Map.Entry<String, String> header : request.headers()) {
            builder.header(header.getKey(), header.getValue());
        }
        return builder.build();
    }

    private static void write(ChannelHandlerContext context, AdminResponse answer, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        for (Map.Entry<String, String> header : answer.headers()) {
            response.headers().add(header.getKey(), header.getValue());
        }
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = context.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
