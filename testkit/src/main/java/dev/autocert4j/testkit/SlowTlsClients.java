package dev.autocert4j.testkit;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Attackers of a TLS port for tests: many connections from loopback addresses other than
 * 127.0.0.1 (127.0.1.2, 127.0.1.3, ...), each held open in one of the ways a slow or idle client
 * holds a server's connection. Closing closes them all.
 */
public final class SlowTlsClients implements AutoCloseable {

    /** How a connection is held. */
    public enum Kind {
        /** Connects and sends nothing. */
        SILENT,
        /** Sends the first half of a real ClientHello, then nothing. */
        HALF_HELLO,
        /** Completes its handshake, then sends nothing. */
        IDLE_AFTER_HANDSHAKE
    }

    private final List<Socket> sockets = new ArrayList<>();

    private SlowTlsClients() {
    }

    /**
     * Opens connections, a third of each kind, each from its own address.
     *
     * @param target where the server listens
     * @param count  how many
     * @return the held connections
     * @throws IOException if one cannot be opened
     */
    public static SlowTlsClients mixed(InetSocketAddress target, int count) throws IOException {
        return mixed(target, count, Kind.values());
    }

    /**
     * Opens connections of the kinds given, in turn, each from its own address.
     *
     * @param target where the server listens
     * @param count  how many
     * @param kinds  how they are held
     * @return the held connections
     * @throws IOException if one cannot be opened
     */
    public static SlowTlsClients mixed(InetSocketAddress target, int count, Kind... kinds) throws IOException {
        SlowTlsClients clients = new SlowTlsClients();
        try {
            for (int i = 0; i < count; i++) {
                clients.sockets.add(open(target, attackerAddress(i), kinds[i % kinds.length]));
            }
        } catch (IOException | RuntimeException e) {
            clients.close();
            throw e;
        }
        return clients;
    }

    /**
     * @param index which attacker
     * @return its own loopback address, never 127.0.0.1
     */
    public static InetAddress attackerAddress(int index) {
        try {
            return InetAddress.getByAddress(new byte[]{127, 0, (byte) (1 + index / 250), (byte) (2 + index % 250)});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens one held connection.
     *
     * @param target where the server listens
     * @param from   the local address to connect from
     * @param kind   how to hold it
     * @return the socket, open
     * @throws IOException if it cannot connect
     */
    public static Socket open(InetSocketAddress target, InetAddress from, Kind kind) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(target, 5_000);
            socket.setSoTimeout(10_000);
            switch (kind) {
                case SILENT -> { }
                case HALF_HELLO -> {
                    byte[] hello = clientHello();
                    socket.getOutputStream().write(Arrays.copyOf(hello, hello.length / 2));
                    socket.getOutputStream().flush();
                }
                case IDLE_AFTER_HANDSHAKE -> {
                    SSLSocket tls = (SSLSocket) TlsClient.sslContextTrustingAnything().getSocketFactory()
                            .createSocket(socket, target.getHostString(), target.getPort(), true);
                    tls.startHandshake();
                    return tls;
                }
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * @return the bytes of a TLS ClientHello as the JDK sends it, for clients that drip it
     * @throws SSLException if the JDK cannot make one
     */
    public static byte[] clientHello() throws SSLException {
        SSLEngine engine = TlsClient.sslContextTrustingAnything().createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }

    /** @return how many connections are held */
    public int count() {
        return sockets.size();
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
        sockets.clear();
    }
}
