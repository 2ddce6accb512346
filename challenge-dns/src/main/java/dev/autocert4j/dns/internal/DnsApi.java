package dev.autocert4j.dns.internal;

import dev.autocert4j.spi.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;

/**
 * A client for one DNS provider's JSON API on the JDK's HTTP client: it sends JSON, reads JSON
 * (bounded in size), never follows redirects, has timeouts, and turns every failure into a
 * {@link DnsApiException} whose message a user can act on: a refused credential (401, 403) quotes the
 * API's own message; a rate limit (429) is waited out when its {@code Retry-After} is short, and
 * reported with it otherwise; a server error or an unreachable API names the API's address. No
 * message ever holds a header value: credentials sent as headers are also blanked out of the API's
 * own messages.
 */
public final class DnsApi {

    private static final Logger LOG = LoggerFactory.getLogger(DnsApi.class);
    /** The largest answer read, in bytes. */
    static final int MAX_ANSWER_BYTES = Json.MAX_LENGTH;
    private static final int MAX_MESSAGE_LENGTH = 300;
    private static final HttpClient SHARED_CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(Executors.newCachedThreadPool(NamedThreads.daemon("autocert4j-dns-api")))
            .build();

    /** Waits out a rate limit; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * Waits.
         *
         * @param duration how long
         * @throws InterruptedException if interrupted
         */
        void sleep(Duration duration) throws InterruptedException;
    }

    private final String provider;
    private final URI baseUrl;
    private final Map<String, String> headers;
    private final List<String> secrets;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final Duration maxRetryWait;
    private final int maxRetries;
    private final String refusalHint;
    private final Clock clock;
    private final Sleeper sleeper;

    private DnsApi(Builder builder) {
        this.provider = builder.provider;
        this.baseUrl = builder.baseUrl;
        this.headers = Map.copyOf(builder.headers);
        this.secrets = List.copyOf(builder.secrets);
        this.client = builder.client != null ? builder.client : SHARED_CLIENT;
        this.requestTimeout = builder.requestTimeout;
        this.maxRetryWait = builder.maxRetryWait;
        this.maxRetries = builder.maxRetries;
        this.refusalHint = builder.refusalHint;
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
    }

    /**
     * @param provider the provider's name, for messages, such as {@code cloudflare}
     * @param baseUrl  the API's base URL, such as {@code https://api.cloudflare.com/client/v4}; paths are
     *                 appended to it
     * @return a builder
     * @throws IllegalArgumentException if the URL is not an absolute http or https URL
     */
    public static Builder builder(String provider, URI baseUrl) {
        return new Builder(provider, baseUrl);
    }

    /**
     * Encodes one path segment, such as a zone's name, so that no character of it can change the path.
     *
     * @param segment the text
     * @return it, percent-encoded
     */
    public static String segment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Sends a GET.
     *
     * @param path the path after the base URL, starting with {@code /}, query included
     * @return the answer's JSON, or {@code null} if it has no body
     * @throws DnsApiException if the API does not answer with a 2xx status and JSON
     */
    public Object get(String path) {
        return send("GET", path, null);
    }

    /**
     * Sends a request.
     *
     * @param method the HTTP method, such as {@code PATCH}
     * @param path   the path after the base URL, starting with {@code /}, query included
     * @param body   the JSON body (see {@link Json#write}), or {@code null} for none
     * @return the answer's JSON, or {@code null} if it has no body
     * @throws DnsApiException if the API does not answer with a 2xx status and JSON
     */
    public Object send(String method, String path, Object body) {
        Objects.requireNonNull(method, "method");
        URI uri = resolve(path);
        String json = body == null ? null : Json.write(body);
        for (int attempt = 0; ; attempt++) {
            Answer answer = exchange(method, uri, json);
            if (answer.status() >= 200 && answer.status() < 300) {
                return parse(method, uri, answer);
            }
            if (answer.status() == 429 && attempt < maxRetries && waitOut(answer, uri)) {
                continue;
            }
            throw failure(method, uri, answer);
        }
    }

    /** @return the base URL, for messages */
    public URI baseUrl() {
        return baseUrl;
    }

    private URI resolve(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("A path must start with '/': " + path);
        }
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private record Answer(int status, String body, String retryAfter) {
    }

    private Answer exchange(String method, URI uri, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Accept", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String body = readBounded(response.body(), uri);
            LOG.debug("{} {} answered {}", method, where(uri), response.statusCode());
            return new Answer(response.statusCode(), body, response.headers().firstValue("Retry-After").orElse(null));
        } catch (HttpTimeoutException e) {
            throw new DnsApiException("The " + provider + " DNS API at " + where(uri) + " did not answer within "
                    + requestTimeout.toSeconds() + " s", 0, null, e);
        } catch (IOException e) {
            throw new DnsApiException("Cannot reach the " + provider + " DNS API at " + where(uri) + ": "
                    + describe(e), 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsApiException("Interrupted while asking the " + provider + " DNS API at " + where(uri), 0, null, e);
        }
    }

    private String readBounded(InputStream body, URI uri) throws IOException {
        try (body) {
            byte[] bytes = body.readNBytes(MAX_ANSWER_BYTES + 1);
            if (bytes.length > MAX_ANSWER_BYTES) {
                throw new DnsApiException("The " + provider + " DNS API at " + where(uri) + " answered with more than "
                        + MAX_ANSWER_BYTES + " bytes", 0, null, null);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private Object parse(String method, URI uri, Answer answer) {
        if (answer.body().isBlank()) {
            return null;
        }
        try {
            return Json.parse(answer.body());
        } catch (JsonException e) {
            throw new DnsApiException("The " + provider + " DNS API at " + where(uri) + " answered " + method
                    + " with something that is not JSON: " + e.getMessage(), answer.status(), null, e);
        }
    }

    /** Waits for the time Retry-After asks if it is short enough; says whether to try again. */
    private boolean waitOut(Answer answer, URI uri) {
        Duration wait = retryDelay(answer.retryAfter()).orElse(Duration.ofSeconds(1));
        if (wait.compareTo(maxRetryWait) > 0) {
            return false;
        }
        LOG.info("The {} DNS API at {} is rate limiting requests; trying again in {} ms", provider, where(uri),
                wait.toMillis());
        try {
            sleeper.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private java.util.Optional<Duration> retryDelay(String retryAfter) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return java.util.Optional.empty();
        }
        String value = retryAfter.strip();
        try {
            long seconds = Long.parseLong(value);
            return java.util.Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration delay = Duration.between(clock.instant(), at);
                return java.util.Optional.of(delay.isNegative() ? Duration.ZERO : delay);
            } catch (DateTimeParseException notADate) {
                return java.util.Optional.empty();
            }
        }
    }

    private DnsApiException failure(String method, URI uri, Answer answer) {
        int status = answer.status();
        String message = apiMessage(answer);
        if (status == 401 || status == 403) {
            return new DnsApiException("The " + provider + " DNS API refused the credential: " + message
                    + (refusalHint == null ? "" : "; " + refusalHint) + " (HTTP " + status + " from " + where(uri) + ")",
                    status, null, null);
        }
        if (status == 429) {
            Instant retryAt = retryDelay(answer.retryAfter()).map(clock.instant()::plus).orElse(null);
            return new DnsApiException("The " + provider + " DNS API at " + where(uri) + " is rate limiting requests"
                    + " (HTTP 429" + (retryAt == null ? "" : ", next request allowed at " + retryAt) + "): " + message,
                    status, retryAt, null);
        }
        if (status >= 500) {
            return new DnsApiException("The " + provider + " DNS API at " + where(uri) + " failed with HTTP " + status
                    + ": " + message + "; try again later", status, null, null);
        }
        return new DnsApiException("The " + provider + " DNS API refused " + method + " " + where(uri) + " with HTTP "
                + status + ": " + message, status, null, null);
    }

    /** The API's own message: a JSON message member, or the text itself; short, printable, no secrets. */
    private String apiMessage(Answer answer) {
        String message = answer.body().strip();
        try {
            Object json = Json.parse(message);
            String found = messageIn(json);
            if (found != null) {
                message = found;
            }
        } catch (JsonException notJson) {
            // a plain-text answer is its own message
        }
        message = message.replaceAll("\\p{Cntrl}+", " ").strip();
        for (String secret : secrets) {
            message = message.replace(secret, "(credential)");
        }
        if (message.length() > MAX_MESSAGE_LENGTH) {
            message = message.substring(0, MAX_MESSAGE_LENGTH) + "...";
        }
        return message.isEmpty() ? "no message" : "'" + message + "'";
    }

    private static String messageIn(Object json) {
        if (!(json instanceof Map<?, ?> object)) {
            return null;
        }
        for (String key : List.of("message", "error_description", "error", "detail", "title")) {
            if (object.get(key) instanceof String text && !text.isBlank()) {
                return text;
            }
        }
        for (String key : List.of("errors", "error")) {
            if (object.get(key) instanceof List<?> errors) {
                List<String> messages = new ArrayList<>();
                for (Object error : errors) {
                    String text = error instanceof String s ? s : messageIn(error);
                    if (text != null) {
                        messages.add(text);
                    }
                }
                if (!messages.isEmpty()) {
                    return String.join("; ", messages);
                }
            }
            if (object.get(key) instanceof Map<?, ?> nested) {
                String text = messageIn(nested);
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }

    /** The URL without query or user info: a query could hold a credential. */
    private static String where(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }

    @Override
    public String toString() {
        return "DnsApi[" + provider + " " + where(baseUrl) + "]"; // never the headers
    }

    /** Builds a {@link DnsApi}. */
    public static final class Builder {
        private final String provider;
        private final URI baseUrl;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<String> secrets = new ArrayList<>();
        private HttpClient client;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration maxRetryWait = Duration.ofSeconds(30);
        private int maxRetries = 3;
        private String refusalHint;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());

        private Builder(String provider, URI baseUrl) {
            this.provider = Objects.requireNonNull(provider, "provider");
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            String scheme = baseUrl.getScheme();
            if (!baseUrl.isAbsolute() || baseUrl.getHost() == null
                    || !("http".equals(scheme) || "https".equals(scheme))) {
                throw new IllegalArgumentException("The " + provider + " DNS API's URL must be an absolute http or"
                        + " https URL with a host: " + where(baseUrl));
            }
            if (baseUrl.getRawUserInfo() != null || baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
                throw new IllegalArgumentException("The " + provider + " DNS API's URL must have no user info, query or"
                        + " fragment: " + where(baseUrl));
            }
        }

        /**
         * Adds a header sent with every request that is not a secret, such as a version.
         *
         * @param name  the header's name
         * @param value its value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
            return this;
        }

        /**
         * Adds a header that carries a credential, such as {@code Authorization: Bearer ...}: its
         * value and the secret itself are never in a message, even if the API echoes them.
         *
         * @param name   the header's name
         * @param value  its value
         * @param secret the credential inside the value
         * @return this builder
         */
        public Builder secretHeader(String name, String value, String secret) {
            header(name, value);
            secrets.add(value);
            if (secret != null && !secret.isEmpty()) {
                secrets.add(secret);
            }
            secrets.sort((a, b) -> b.length() - a.length());
            return this;
        }

        /**
         * Sets the longest a request may take; default 30 seconds.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * Sets the longest {@code Retry-After} waited out on a rate limit; longer ones fail at once.
         * Default 30 seconds.
         *
         * @param wait the longest wait
         * @return this builder
         */
        public Builder maxRetryWait(Duration wait) {
            this.maxRetryWait = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /**
         * Sets how often a rate-limited request is tried again; default 3.
         *
         * @param retries the number of retries, 0 for none
         * @return this builder
         */
        public Builder maxRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("retries must not be negative");
            }
            this.maxRetries = retries;
            return this;
        }

        /**
         * Sets a hint added to a refused credential's message, for APIs whose own message says little
         * (PowerDNS says only {@code Unauthorized}).
         *
         * @param hint what to check, such as "check that api-key is PowerDNS's api-key"
         * @return this builder
         */
        public Builder refusalHint(String hint) {
            this.refusalHint = hint;
            return this;
        }

        /**
         * Sets the HTTP client; by default a shared one that never follows redirects.
         *
         * @param client the client
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Sets the clock a {@code Retry-After} date is read against.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets what waits out a rate limit.
         *
         * @param sleeper the sleeper
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** @return the client */
        public DnsApi build() {
            return new DnsApi(this);
        }
    }
}
