package dev.autocert4j.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The handlers that guard an HTTPS listener opened by {@link NettyBindings} against slow, idle and
 * greedy clients, beside Netty's own handshake timeout and {@code IdleStateHandler}.
 */
final class HttpsConnectionGuards {

    private HttpsConnectionGuards() {
    }

    /**
     * Caps the connections of one listener, per client address and in all: a connection over
     * either cap is closed as soon as it is active, before its handshake costs anything.
     */
    @ChannelHandler.Sharable
    static final class ConnectionCaps extends ChannelInboundHandlerAdapter {
        private final int maxConnections;
        private final int maxConnectionsPerAddress;
        private final AtomicInteger open = new AtomicInteger();
        private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

        ConnectionCaps(int maxConnections, int maxConnectionsPerAddress) {
            this.maxConnections = maxConnections;
            this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            int all = open.incrementAndGet();
            InetAddress address = addressOf(ctx.channel().remoteAddress());
            int fromAddress = address == null ? 0 : perAddress.merge(address, 1, Integer::sum);
            if (all > maxConnections || fromAddress > maxConnectionsPerAddress) {
                ctx.close(); // channelInactive counts it down
                return;
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.decrementAndGet();
            InetAddress address = addressOf(ctx.channel().remoteAddress());
            if (address != null) {
                perAddress.computeIfPresent(address, (a, held) -> held == 1 ? null : held - 1);
            }
            ctx.fireChannelInactive();
        }

        private static InetAddress addressOf(SocketAddress remote) {
            return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
        }
    }

    /** Closes a connection when the {@code IdleStateHandler} ahead of it says it has been idle. */
    @ChannelHandler.Sharable
    static final class CloseWhenIdle extends ChannelInboundHandlerAdapter {
        static final CloseWhenIdle INSTANCE = new CloseWhenIdle();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }
    }

    /**
     * Refuses a client-initiated TLS 1.2 renegotiation, which the JDK's TLS accepts: it follows the
     * TLS records the client sends, ahead of the TLS handler, and closes the connection when a
     * handshake record arrives after the handshake finished under TLS 1.2, before the TLS handler
     * reads it. (TLS 1.3 has no renegotiation; its post-handshake messages travel as application data.)
     */
    static final class RenegotiationRefuser extends ChannelInboundHandlerAdapter {
        private static final int HEADER_LENGTH = 5;
        private static final byte HANDSHAKE = 22;

        private final SslHandler tls;
        private final byte[] header = new byte[HEADER_LENGTH];
        private int headerRead;
        private int bodyLeft;

        RenegotiationRefuser(SslHandler tls) {
            this.tls = tls;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof ByteBuf bytes && containsARenegotiation(bytes)) {
                ReferenceCountUtil.release(message);
                ctx.close();
                return;
            }
            ctx.fireChannelRead(message);
        }

        /** Follows the record boundaries through these bytes, without consuming them. */
        private boolean containsARenegotiation(ByteBuf bytes) {
            boolean established = tls.handshakeFuture().isSuccess()
                    && "TLSv1.2".equals(tls.engine().getSession().getProtocol());
            int index = bytes.readerIndex();
            int end = bytes.writerIndex();
            while (index < end) {
                if (bodyLeft > 0) {
                    int skipped = Math.min(bodyLeft, end - index);
                    bodyLeft -= skipped;
                    index += skipped;
                    continue;
                }
                header[headerRead++] = bytes.getByte(index++);
                if (headerRead == HEADER_LENGTH) {
                    headerRead = 0;
                    bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                    if (established && header[0] == HANDSHAKE) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
