package dev.autocert4j.spring.boot;

import dev.autocert4j.http.Http01Responder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * Sends requests that arrive on the plain HTTP port added for the CA to HTTPS (301), except the
 * CA's challenges, which the challenge filter ahead of this one has answered already. The target
 * host is the requested one when it is a configured name, otherwise the first configured name, so
 * a forged {@code Host} header cannot send visitors elsewhere.
 */
final class HttpsRedirectFilter extends HttpFilter {

    private final int httpPort;
    private final IntSupplier httpsPort;
    private final List<String> domains;

    HttpsRedirectFilter(int httpPort, IntSupplier httpsPort, List<String> domains) {
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.domains = domains.stream().map(name -> name.strip().toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.isSecure() || request.getLocalPort() != httpPort
                || request.getRequestURI().startsWith(Http01Responder.PATH_PREFIX)) {
            chain.doFilter(request, response);
            return;
        }
        String host = request.getServerName() == null ? "" : request.getServerName().toLowerCase(Locale.ROOT);
        if (!domains.contains(host)) {
            host = domains.get(0);
        }
        int port = httpsPort.getAsInt();
        String query = request.getQueryString();
        String location = "https://" + host + (port == 443 ? "" : ":" + port) + request.getRequestURI()
                + (query == null ? "" : "?" + query);
        response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
        response.setHeader("Location", location);
        response.setContentLength(0);
    }
}
