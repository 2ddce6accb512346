package dev.autocert4j.servlet;

import dev.autocert4j.http.Http01Responder;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;

/**
 * A servlet filter that answers ACME HTTP-01 challenges for any Jakarta Servlet 6 container: every
 * request under {@code /.well-known/acme-challenge/} gets the key authorization of a published
 * token, or 404, and never goes on to the filters and servlets after it.
 *
 * <p>Map it first, in the root context ({@code ""}), where the CA's requests arrive:
 * {@link #register(ServletContext, Http01Responder)} does so ahead of every filter declared in
 * {@code web.xml} or registered later, so a redirect to HTTPS or an authentication filter (Spring
 * Security's, say) never sees the challenge. Container security constraints ({@code
 * <security-constraint>} in {@code web.xml}) are enforced before any filter runs: leave
 * {@code /.well-known/acme-challenge/*} out of them (on Tomcat, use the engine valve of
 * {@code autocert4j-tomcat} instead).
 */
public final class AcmeChallengeFilter implements Filter {

    /** The URL pattern the filter is mapped to: {@value}. */
    public static final String URL_PATTERN = Http01Responder.PATH_PREFIX + "*";

    private final Http01Responder responder;

    /** @param responder the tokens to answer */
    public AcmeChallengeFilter(Http01Responder responder) {
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    /**
     * Adds the filter to a context, mapped to {@value #URL_PATTERN} ahead of every other filter.
     * Call it while the context starts (a {@code ServletContainerInitializer}, a
     * {@code ServletContextListener}, or the embedded server's setup).
     *
     * @param context   the root context
     * @param responder the tokens to answer
     * @return the registration
     */
    public static FilterRegistration.Dynamic register(ServletContext context, Http01Responder responder) {
        FilterRegistration.Dynamic registration = context.addFilter("autocert4jAcmeChallenge", new AcmeChallengeFilter(responder));
        registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, URL_PATTERN);
        registration.setAsyncSupported(true);
        return registration;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse httpResponse)
                || !http.getRequestURI().startsWith(Http01Responder.PATH_PREFIX)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<String> answer = http.getQueryString() != null ? Optional.empty()
                : responder.answer(http.getMethod(), http.getRequestURI(), http.getHeader("Host"),
                        Http01Responder.clientAddress(http.getRemoteAddr()));
        httpResponse.setHeader("Cache-Control", "no-store");
        if (answer.isEmpty()) {
            httpResponse.setStatus(HttpServletResponse.SC_NOT_FOUND);
            httpResponse.setContentLength(0);
            return;
        }
        byte[] body = answer.get().getBytes(StandardCharsets.US_ASCII);
        httpResponse.setStatus(HttpServletResponse.SC_OK);
        httpResponse.setContentType("text/plain");
        httpResponse.setContentLength(body.length);
        if (!http.getMethod().equals("HEAD")) {
            httpResponse.getOutputStream().write(body);
        }
    }
}
