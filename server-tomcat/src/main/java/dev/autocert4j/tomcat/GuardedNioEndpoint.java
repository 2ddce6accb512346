package dev.autocert4j.tomcat;

import dev.autocert4j.tls.TlsPolicy;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.apache.tomcat.util.net.openssl.ciphers.Cipher;
import org.apache.tomcat.util.net.openssl.ciphers.Group;
import org.apache.tomcat.util.net.openssl.ciphers.SignatureScheme;

import javax.net.ssl.SSLEngine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tomcat's NIO endpoint with the defences Tomcat has no setting for: one client address holds at
 * most a number of connections (the one over the cap is closed as it is accepted, before its
 * handshake), and a TLS handshake must finish within a deadline (Tomcat's {@code connectionTimeout}
 * restarts at each byte, so a client that drips its hello would hold the connection for ever).
 * It also refuses a client-initiated TLS 1.2 renegotiation, which Tomcat would accept.
 */
final class GuardedNioEndpoint extends NioEndpoint {

    private final Duration handshakeTimeout;
    private final int maxConnectionsPerAddress;
    /** The sockets accepted and the address of each; the closed ones are dropped at the next accept. */
    private final List<Accepted> accepted = new ArrayList<>();

    private record Accepted(SocketChannel socket, InetAddress address) {
    }

    GuardedNioEndpoint(Duration handshakeTimeout, int maxConnectionsPerAddress) {
        this.handshakeTimeout = handshakeTimeout;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    @Override
    protected boolean setSocketOptions(SocketChannel socket) {
        if (!admit(socket)) {
            destroySocket(socket); // closes it and counts it down: the acceptor closes only sockets with a wrapper
            return false;
        }
        if (!super.setSocketOptions(socket)) {
            return false;
        }
        SocketWrapperBase<NioChannel> wrapper = connections.get(socket);
        if (wrapper != null && isSSLEnabled()) {
            getUtilityExecutor().schedule(() -> closeIfStillHandshaking(wrapper), handshakeTimeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return true;
    }

    @Override
    protected SSLEngine createSSLEngine(String sniHostName, List<Cipher> clientRequestedCiphers,
                                        List<String> clientRequestedApplicationProtocols, List<String> clientRequestedProtocols,
                                        List<Group> clientSupportedGroups, List<SignatureScheme> clientSignatureSchemes) {
        return TlsPolicy.refusingRenegotiation(super.createSSLEngine(sniHostName, clientRequestedCiphers,
                clientRequestedApplicationProtocols, clientRequestedProtocols, clientSupportedGroups, clientSignatureSchemes));
    }

    private static void closeIfStillHandshaking(SocketWrapperBase<NioChannel> wrapper) {
        // a closed wrapper's channel may already serve another connection: look no further
        if (!wrapper.isClosed() && !wrapper.getSocket().isHandshakeComplete()) {
            wrapper.close();
        }
    }

    private synchronized boolean admit(SocketChannel socket) {
        InetAddress address;
        try {
            address = ((InetSocketAddress) socket.getRemoteAddress()).getAddress();
        } catch (IOException | ClassCastException e) {
            return true; // not an IP connection: nothing to count
        }
        accepted.removeIf(held -> !held.socket().isOpen());
        long fromAddress = accepted.stream().filter(held -> held.address().equals(address)).count();
        if (fromAddress >= maxConnectionsPerAddress) {
            return false;
        }
        accepted.add(new Accepted(socket, address));
        return true;
    }
}
