package dev.autocert4j.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * TLS through an {@link SSLEngine} over a blocking socket, so that the engine's checks (such as
 * refusing renegotiation) hold, which an {@code SSLSocket} cannot be given. Reads and writes come
 * from one thread at a time each; the engine is used under this object's lock.
 */
final class EngineSocket {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Socket socket;
    private final SSLEngine engine;
    private final InputStream networkIn;
    private final OutputStream networkOut;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private boolean inputClosed;

    EngineSocket(Socket socket, SSLEngine engine) throws IOException {
        this.socket = socket;
        this.engine = engine;
        this.networkIn = socket.getInputStream();
        this.networkOut = socket.getOutputStream();
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet).flip();
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
        this.netOut = ByteBuffer.allocate(packet);
    }

    SSLEngine engine() {
        return engine;
    }

    /** Runs the handshake to its end, or throws. */
    synchronized void handshake() throws IOException {
        engine.beginHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
            status = step(status);
        }
    }

    private HandshakeStatus step(HandshakeStatus status) throws IOException {
        switch (status) {
            case NEED_WRAP:
                return wrap(EMPTY).getHandshakeStatus();
            case NEED_TASK:
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
                return engine.getHandshakeStatus();
            case NEED_UNWRAP:
            case NEED_UNWRAP_AGAIN:
                SSLEngineResult result = unwrap();
                if (result == null) {
                    throw new SSLException("the client closed the connection during the handshake");
                }
                return result.getHandshakeStatus();
            default:
                return status;
        }
    }

    /** Unwraps one record into {@code appIn}, reading from the network as needed; null at end of stream. */
    private SSLEngineResult unwrap() throws IOException {
        while (true) {
            appIn.compact();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
            }
            switch (result.getStatus()) {
                case OK:
                case CLOSED:
                    return result;
                case BUFFER_OVERFLOW:
                    appIn = enlarged(appIn, engine.getSession().getApplicationBufferSize());
                    break;
                case BUFFER_UNDERFLOW:
                    if (!readNetwork()) {
                        return null;
                    }
                    break;
                default:
                    throw new SSLException("unexpected engine status " + result.getStatus());
            }
        }
    }

    private boolean readNetwork() throws IOException {
        if (netIn.limit() == netIn.capacity() && netIn.position() == 0) {
            netIn = enlarged(netIn, engine.getSession().getPacketBufferSize());
        }
        netIn.compact();
        try {
            int read = networkIn.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
            if (read < 0) {
                return false;
            }
            netIn.position(netIn.position() + read);
            return true;
        } finally {
            netIn.flip();
        }
    }

    private static ByteBuffer enlarged(ByteBuffer readable, int atLeast) {
        ByteBuffer larger = ByteBuffer.allocate(Math.max(atLeast, readable.capacity() * 2));
        larger.put(readable).flip();
        return larger;
    }

    private SSLEngineResult wrap(ByteBuffer source) throws IOException {
        while (true) {
            netOut.clear();
            SSLEngineResult result = engine.wrap(source, netOut);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
                continue;
            }
            netOut.flip();
            networkOut.write(netOut.array(), netOut.arrayOffset(), netOut.remaining());
            networkOut.flush();
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                step(HandshakeStatus.NEED_TASK);
            }
            return result;
        }
    }

    synchronized int read(byte[] into, int offset, int length) throws IOException {
        while (!appIn.hasRemaining()) {
            if (inputClosed) {
                return -1;
            }
            SSLEngineResult result = unwrap();
            if (result == null || result.getStatus() == SSLEngineResult.Status.CLOSED) {
                inputClosed = true;
                return -1;
            }
            HandshakeStatus status = result.getHandshakeStatus();
            while (status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP) {
                status = step(status); // post-handshake messages, such as a TLS 1.3 key update
            }
        }
        int count = Math.min(length, appIn.remaining());
        appIn.get(into, offset, count);
        return count;
    }

    synchronized void write(byte[] from, int offset, int length) throws IOException {
        ByteBuffer source = ByteBuffer.wrap(from, offset, length);
        while (source.hasRemaining()) {
            SSLEngineResult result = wrap(source);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the connection is closed");
            }
        }
    }

    /** Sends close_notify if it can, then closes the socket. */
    void close() {
        try {
            synchronized (this) {
                engine.closeOutbound();
                if (!socket.isClosed() && !engine.isOutboundDone()) {
                    wrap(EMPTY);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the peer is gone or the socket was closed by a deadline
        } finally {
            closeSocket();
        }
    }

    /** Closes the socket at once, from any thread (a deadline); blocked reads and writes fail. */
    void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int read = EngineSocket.this.read(one, 0, 1);
                return read < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] into, int offset, int length) throws IOException {
                return length == 0 ? 0 : EngineSocket.this.read(into, offset, length);
            }
        };
    }

    OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                EngineSocket.this.write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] from, int offset, int length) throws IOException {
                EngineSocket.this.write(from, offset, length);
            }
        };
    }
}
