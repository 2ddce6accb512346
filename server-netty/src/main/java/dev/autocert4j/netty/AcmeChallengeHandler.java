package dev.autocert4j.netty;

import dev.autocert4j.http.Http01Responder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A Netty handler that answers ACME HTTP-01 challenges in an HTTP pipeline: put it right after the
 * {@code HttpServerCodec}, ahead of the application's handlers. Every request under
 * {@code /.well-known/acme-challenge/} gets the key authorization of a published token, or 404, and
 * never reaches the handlers after it (no redirect, no authentication). Shared by every channel.
 *
 * <pre>{@code
 * pipeline.addLast(new HttpServerCodec(), challengeHandler, new PortalHandler());
 * }</pre>
 */
@ChannelHandler.Sharable
public final class AcmeChallengeHandler extends ChannelInboundHandlerAdapter {

    /** Set while the body of an answered challenge request is still arriving, so it is dropped, not passed on. */
    private static final AttributeKey<Boolean> SWALLOWING = AttributeKey.valueOf(AcmeChallengeHandler.class, "swallowing");

    private final Http01Responder responder;

    /** @param responder the tokens to answer */
    public AcmeChallengeHandler(Http01Responder responder) {
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof HttpRequest request && isChallenge(request.uri())) {
            answer(ctx, request);
            boolean whole = message instanceof LastHttpContent;
            ctx.channel().attr(SWALLOWING).set(!whole);
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpContent && Boolean.TRUE.equals(ctx.channel().attr(SWALLOWING).get())) {
            if (message instanceof LastHttpContent) {
                ctx.channel().attr(SWALLOWING).set(false);
            }
            ReferenceCountUtil.release(message);
            return;
        }
        ctx.fireChannelRead(message);
    }

    private static boolean isChallenge(String uri) {
        return uri != null && uri.startsWith(Http01Responder.PATH_PREFIX);
    }

    private void answer(ChannelHandlerContext ctx, HttpRequest request) {
        String uri = request.uri();
        Optional<String> answer = uri.contains("?") ? Optional.empty()
                : responder.answer(request.method().name(), uri, request.headers().get(HttpHeaderNames.HOST),
                        ctx.channel().remoteAddress() instanceof InetSocketAddress client ? client.getAddress() : null);
        byte[] body = answer.map(a -> a.getBytes(StandardCharsets.US_ASCII)).orElse(new byte[0]);
        boolean head = request.method().equals(HttpMethod.HEAD);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                answer.isPresent() ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (answer.isPresent()) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
