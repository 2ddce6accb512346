package dev.autocert4j.jetty;

import dev.autocert4j.http.Http01Responder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A Jetty handler that answers ACME HTTP-01 challenges before anything else sees the request:
 * every request under {@code /.well-known/acme-challenge/} gets the key authorization of a
 * published token, or 404. Such requests never reach the handlers it wraps, so no redirect to
 * HTTPS, authentication or HSTS ever applies to them.
 *
 * <pre>{@code
 * Http01Responder challenges = new Http01Responder();
 * AcmeChallengeHandler.insertFirst(server, challenges);  // after the server's handlers are set
 * }</pre>
 */
public final class AcmeChallengeHandler extends Handler.Wrapper {

    private final Http01Responder responder;

    /**
     * @param responder the tokens to answer
     * @param next      the handler every other request goes to
     */
    public AcmeChallengeHandler(Http01Responder responder, Handler next) {
        super(next);
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    /**
     * Puts a challenge handler in front of the server's handler tree.
     *
     * @param server    the server, its handlers set
     * @param responder the tokens to answer
     * @return the handler, now the server's first
     */
    public static AcmeChallengeHandler insertFirst(Server server, Http01Responder responder) {
        Objects.requireNonNull(server, "server");
        AcmeChallengeHandler handler = new AcmeChallengeHandler(responder, server.getHandler());
        server.setHandler(handler);
        return handler;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (path == null || !path.startsWith(Http01Responder.PATH_PREFIX)) {
            return super.handle(request, response, callback);
        }
        Optional<String> answer = request.getHttpURI().getQuery() != null ? Optional.empty()
                : responder.answer(request.getMethod(), path, request.getHeaders().get(HttpHeader.HOST),
                        request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress client
                                ? client.getAddress() : null);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (answer.isEmpty()) {
            response.setStatus(HttpStatus.NOT_FOUND_404);
            response.write(true, null, callback);
            return true;
        }
        byte[] body = answer.get().getBytes(StandardCharsets.US_ASCII);
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, request.getMethod().equals("HEAD") ? null : ByteBuffer.wrap(body), callback);
        return true;
    }
}
