package dev.autocert4j.tls;

import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One connection of a {@link GuardedTlsServer}, and since when it has waited on its client (0 while
 * it does not): in its handshake, for the client's next bytes, or for the client to take ours.
 */
final class TrackedConnection {
    final Socket socket;
    final InetSocketAddress remote;
    final EngineSocket tls;
    final InputStream input;
    final OutputStream output;
    private volatile long waitingSince = System.nanoTime() | 1;

    TrackedConnection(Socket socket, SSLEngine engine) throws IOException {
        this.socket = socket;
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.tls = new EngineSocket(socket, engine);
        this.input = waitingInput(tls.inputStream());
        this.output = waitingOutput(tls.outputStream());
    }

    /** @return since when (a {@link System#nanoTime()}) it has waited on its client, 0 if it does not */
    long waitingSince() {
        return waitingSince;
    }

    /** Its handshake is done: it no longer waits on its client until it reads or writes. */
    void handshakeDone() {
        waitingSince = 0;
    }

    private InputStream waitingInput(InputStream in) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                waiting();
                try {
                    return in.read();
                } finally {
                    waitingSince = 0;
                }
            }

            @Override
            public int read(byte[] into, int offset, int length) throws IOException {
                waiting();
                try {
                    return in.read(into, offset, length);
                } finally {
                    waitingSince = 0;
                }
            }
        };
    }

    private OutputStream waitingOutput(OutputStream out) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] from, int offset, int length) throws IOException {
                waiting();
                try {
                    out.write(from, offset, length);
                } finally {
                    waitingSince = 0;
                }
            }
        };
    }

    private void waiting() {
        waitingSince = System.nanoTime() | 1;
    }
}
