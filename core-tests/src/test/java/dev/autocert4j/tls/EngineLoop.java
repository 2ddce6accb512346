package dev.autocert4j.tls;

import dev.autocert4j.testkit.TlsClient;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.nio.ByteBuffer;

/** A TLS 1.2 client and a server engine talking in memory, for renegotiation attempts. */
final class EngineLoop {

    private final SSLEngine client;
    private final SSLEngine server;
    private final ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
    private final ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
    private final ByteBuffer clientApp = ByteBuffer.allocate(1 << 17);
    private final ByteBuffer serverApp = ByteBuffer.allocate(1 << 17);

    private EngineLoop(SSLEngine server) {
        this.server = server;
        server.setUseClientMode(false);
        client = TlsClient.sslContextTrustingAnything().createSSLEngine("portal.example.com", 443);
        client.setUseClientMode(true);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setProtocols(new String[]{"TLSv1.2"});
        client.setSSLParameters(parameters);
    }

    /** Completes a TLS 1.2 handshake, then the client starts a second one and both go on to its end. */
    static void renegotiate(SSLEngine server) throws SSLException {
        EngineLoop loop = new EngineLoop(server);
        loop.client.beginHandshake();
        loop.server.beginHandshake();
        loop.run();
        loop.client.beginHandshake();
        loop.run();
    }

    private void run() throws SSLException {
        for (int round = 0; round < 100; round++) {
            step(client, toClient, toServer, clientApp);
            step(server, toServer, toClient, serverApp);
            if (!handshaking(client) && !handshaking(server)) {
                return;
            }
        }
        throw new IllegalStateException("the handshake did not end");
    }

    private static boolean handshaking(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws SSLException {
        in.flip();
        engine.unwrap(in, app);
        in.compact();
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        engine.wrap(ByteBuffer.allocate(0), out);
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
