package dev.autocert4j;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The {@code ask} guard: {@code GET <endpoint>?domain=<name>}, allowed by any 2xx answer and by
 * nothing else. Redirects are not followed (a redirect refuses), and an endpoint that is down,
 * slow past the timeout or answers garbage refuses: an error never allows.
 */
final class AskGuard implements OnDemandGuard {

    private static final Logger LOG = LoggerFactory.getLogger(AskGuard.class);

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param endpoint an {@code http} or {@code https} URL
     * @param timeout  how long one answer may take
     * @throws InvalidInputException if the URL is not {@code http} or {@code https}
     */
    AskGuard(URI endpoint, Duration timeout) {
        String scheme = endpoint.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || endpoint.getHost() == null) {
            throw new InvalidInputException("ask", endpoint.toString(), "is not an http or https URL");
        }
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    @Override
    public boolean allows(String name) {
        HttpRequest request = HttpRequest.newBuilder(queryFor(name)).timeout(timeout).GET().build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return true;
            }
            LOG.info("The on-demand guard at {} refused {} (status {})", withoutQuery(), name, status);
            return false;
        } catch (IOException | RuntimeException e) {
            LOG.warn("The on-demand guard at {} could not be asked about {}, so it is refused: {}", withoutQuery(),
                    name, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    URI queryFor(String name) {
        String parameter = "domain=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        String base = endpoint.toString();
        int fragment = base.indexOf('#');
        if (fragment >= 0) {
            base = base.substring(0, fragment);
        }
        return URI.create(base + (endpoint.getRawQuery() == null ? "?" : "&") + parameter);
    }

    private String withoutQuery() {
        return endpoint.getScheme() + "://" + endpoint.getRawAuthority() + endpoint.getRawPath();
    }

    @Override
    public String toString() {
        return "ask " + withoutQuery();
    }
}
