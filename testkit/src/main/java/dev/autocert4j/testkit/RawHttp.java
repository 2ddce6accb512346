package dev.autocert4j.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 exactly as written, over a socket: for tests that must send a {@code Host} header of
 * their choice, a malformed request, or a request on an open TLS connection, and read the raw
 * response (status line, headers and body) without a client that follows redirects.
 *
 * @since 0.2.0
 */
public final class RawHttp {

    private RawHttp() {
    }

    /**
     * Sends one request to a loopback port in plain HTTP, with {@code Connection: close} added.
     *
     * @param port    the port on 127.0.0.1
     * @param request the request, ending with an empty line ({@code "GET / HTTP/1.1\r\nHost: a\r\n\r\n"})
     * @return the raw response
     * @throws IOException if the exchange fails or takes more than 10 s
     */
    public static String plain(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            return exchange(socket, request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));
        }
    }

    /**
     * Writes a request on an open socket (plain or TLS) and reads until the server closes it, so
     * the request should carry {@code Connection: close}. Reads time out after 10 s.
     *
     * @param socket  the connection
     * @param request the request
     * @return the raw response
     * @throws IOException if the exchange fails
     */
    public static String exchange(Socket socket, String request) throws IOException {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
