package dev.autocert4j.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A TLS listener on a loopback port that completes every handshake and then waits for the client to close. */
public final class TlsTestServer implements AutoCloseable {

    private final SSLServerSocket serverSocket;
    private final ExecutorService pool = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "tls-test-server");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param context the server's TLS context
     * @throws IOException if no port can be bound
     */
    public TlsTestServer(SSLContext context) throws IOException {
        serverSocket = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 256, InetAddress.getLoopbackAddress());
        serverSocket.setSSLParameters(dev.autocert4j.tls.SniKeyManager.offeringAcmeTls1(serverSocket.getSSLParameters()));
        pool.execute(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                SSLSocket socket = (SSLSocket) serverSocket.accept();
                pool.execute(() -> serve(socket));
            } catch (IOException e) {
                // closed
            }
        }
    }

    private static void serve(SSLSocket socket) {
        try (socket; InputStream in = socket.getInputStream()) {
            socket.startHandshake();
            while (in.read() != -1) {
                // wait for the client to close
            }
        } catch (IOException e) {
            // the client went away, or the handshake failed: the client sees why
        }
    }

    /** @return where the server listens */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), serverSocket.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        pool.shutdownNow();
    }
}
