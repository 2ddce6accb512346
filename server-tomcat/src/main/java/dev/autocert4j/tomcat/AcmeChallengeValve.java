package dev.autocert4j.tomcat;

import dev.autocert4j.http.Http01Responder;
import jakarta.servlet.ServletException;
import org.apache.catalina.Engine;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A Tomcat valve that answers ACME HTTP-01 challenges before any context sees the request: every
 * request under {@code /.well-known/acme-challenge/} gets the key authorization of a published
 * token, or 404. Put it on the engine, where it runs ahead of every host and context valve, so
 * security constraints (a {@code CONFIDENTIAL} redirect to HTTPS, authentication) never apply to
 * the challenge.
 *
 * <pre>{@code
 * AcmeChallengeValve.addTo(tomcat.getEngine(), challenges);
 * }</pre>
 */
public final class AcmeChallengeValve extends ValveBase {

    private final Http01Responder responder;

    /** @param responder the tokens to answer */
    public AcmeChallengeValve(Http01Responder responder) {
        super(true);
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    /**
     * Adds a challenge valve to an engine, ahead of its hosts and contexts.
     *
     * @param engine    the engine, such as {@code tomcat.getEngine()}
     * @param responder the tokens to answer
     * @return the valve
     */
    public static AcmeChallengeValve addTo(Engine engine, Http01Responder responder) {
        AcmeChallengeValve valve = new AcmeChallengeValve(responder);
        engine.getPipeline().addValve(valve);
        return valve;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        String path = request.getRequestURI();
        if (path == null || !path.startsWith(Http01Responder.PATH_PREFIX)) {
            getNext().invoke(request, response);
            return;
        }
        Optional<String> answer = request.getQueryString() != null ? Optional.empty()
                : responder.answer(request.getMethod(), path, request.getHeader("Host"),
                        Http01Responder.clientAddress(request.getRemoteAddr()));
        response.setHeader("Cache-Control", "no-store");
        if (answer.isEmpty()) {
            response.setStatus(404);
            response.setContentLength(0);
            return;
        }
        byte[] body = answer.get().getBytes(StandardCharsets.US_ASCII);
        response.setStatus(200);
        response.setContentType("text/plain");
        response.setContentLength(body.length);
        if (!request.getMethod().equals("HEAD")) {
            response.getOutputStream().write(body);
        }
    }
}
