package dev.autocert4j.jetty;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Makes TLS connections that cut a client-initiated TLS 1.2 renegotiation off. Jetty refuses it with
 * an orderly close (a close_notify), which a client, and a scanner such as testssl.sh, can take for a
 * renegotiation let through; here the connection fails before anything more is written.
 * (TLS 1.3 has no renegotiation; its post-handshake messages pass.)
 */
final class RenegotiationCuttingSslConnectionFactory extends SslConnectionFactory {

    RenegotiationCuttingSslConnectionFactory(SslContextFactory.Server sslContextFactory, String nextProtocol) {
        super(sslContextFactory, nextProtocol);
    }

    @Override
    protected SslConnection newSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine) {
        return new RenegotiationCuttingSslConnection(connector, endPoint, engine, this);
    }

    private static final class RenegotiationCuttingSslConnection extends SslConnection {
        private volatile boolean established;
        private volatile boolean cutOff;

        RenegotiationCuttingSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine,
                                          SslConnectionFactory factory) {
            super(connector.getByteBufferPool(), connector.getExecutor(), factory.getSslContextFactory(), endPoint,
                    engine, factory.isDirectBuffersForEncryption(), factory.isDirectBuffersForDecryption());
        }

        @Override
        protected SSLEngineResult unwrap(SSLEngine engine, ByteBuffer input, ByteBuffer output) throws SSLException {
            boolean wasEstablished = established;
            SSLEngineResult result = super.unwrap(engine, input, output);
            if (wasEstablished && handshaking(result.getHandshakeStatus())
                    && !"TLSv1.3".equals(engine.getSession().getProtocol())) {
                cutOff = true;
                throw new SSLHandshakeException("renegotiation is refused");
            }
            return observed(result);
        }

        @Override
        protected SSLEngineResult wrap(SSLEngine engine, ByteBuffer[] input, ByteBuffer output) throws SSLException {
            return observed(super.wrap(engine, input, output));
        }

        /** Once cut off, what Jetty writes while closing (its close_notify) is dropped. */
        @Override
        protected boolean networkFlush(ByteBuffer bytes) throws IOException {
            if (cutOff) {
                bytes.position(bytes.limit());
                return true;
            }
            return super.networkFlush(bytes);
        }

        private SSLEngineResult observed(SSLEngineResult result) {
            if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                established = true;
            }
            return result;
        }

        private static boolean handshaking(HandshakeStatus status) {
            return status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED;
        }
    }
}
