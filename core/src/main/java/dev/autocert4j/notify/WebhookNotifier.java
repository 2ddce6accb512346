package dev.autocert4j.notify;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.spi.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells a person when a certificate needs attention, by POSTing JSON to a webhook: when an attempt
 * to obtain or renew fails, and when a certificate is well into its renewal window while renewal
 * keeps failing ({@link AutoCertListener#expiringSoon}); optionally also when a certificate was
 * obtained. Let's Encrypt no longer e-mails about expiring certificates, so this is the alarm.
 *
 * <p>The body carries a {@code text} field with one readable sentence, which chat tools' incoming
 * webhooks (Slack, Mattermost, Rocket.Chat) show as the message, beside fields for machines:
 * <pre>{@code
 * {"text":"autocert4j: renewing the certificate for portal.example.com failed: ...",
 *  "event":"failed","domain":"portal.example.com","message":"...",
 *  "nextAttempt":"2026-11-27T10:00:00Z","time":"2026-11-26T22:00:00Z"}
 * }</pre>
 *
 * <p>Delivery never holds up renewal: events are sent from a thread of the notifier's own, and a
 * delivery that fails with a network error, a timeout, 408, 429 or a 5xx status is retried after
 * each of the {@linkplain Builder#retryDelays retry delays} (10 s, 1 min and 5 min by default),
 * then given up with a warning. Other 4xx statuses are not retried. The webhook URL often holds a
 * secret token, so only its scheme, host and port are ever logged. {@link #close()} stops the
 * thread; events still waiting are dropped.
 *
 * <pre>{@code
 * WebhookNotifier alarm = WebhookNotifier.to(URI.create("https://hooks.example.com/T0/B0/XYZ")).build();
 * AutoCert autoCert = AutoCert.builder()....listener(alarm).build();
 * }</pre>
 *
 * @since 0.2.0
 */
public final class WebhookNotifier implements AutoCertListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);

    private final URI url;
    private final String shownUrl;
    private final Map<String, String> headers;
    private final List<Duration> retryDelays;
    private final Duration timeout;
    private final boolean notifyObtained;
    private final Clock clock;
    private final HttpClient client;
    private final ScheduledExecutorService sender;
    /** Events sent or being retried; guarded by {@code this}. */
    private int pending;

    private WebhookNotifier(Builder builder) {
        this.url = builder.url;
        this.shownUrl = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
        this.headers = Map.copyOf(builder.headers);
        this.retryDelays = List.copyOf(builder.retryDelays);
        this.timeout = builder.timeout;
        this.notifyObtained = builder.notifyObtained;
        this.clock = builder.clock;
        this.client = builder.client != null ? builder.client
                : HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.sender = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("autocert4j-webhook"));
    }

    /**
     * Starts a notifier for a webhook URL.
     *
     * @param url the absolute {@code http} or {@code https} URL to POST to
     * @return a builder
     * @throws InvalidInputException if it is not such a URL
     */
    public static Builder to(URI url) {
        return new Builder(url);
    }

    @Override
    public void failed(String domain, AutoCertException failure, Instant nextAttempt) {
        Map<String, String> fields = event("failed", domain);
        fields.put("message", failure.getMessage());
        fields.put("nextAttempt", nextAttempt == null ? null : nextAttempt.toString());
        send(fields, "autocert4j: obtaining the certificate for " + domain + " failed: " + failure.getMessage()
                + (nextAttempt == null ? "" : " Next attempt: " + nextAttempt + "."));
    }

    @Override
    public void expiringSoon(String domain, Instant notAfter) {
        Map<String, String> fields = event("expiring-soon", domain);
        fields.put("notAfter", notAfter.toString());
        send(fields, "autocert4j: the certificate for " + domain + " expires " + notAfter
                + " and renewing it keeps failing; please look at the server's log.");
    }

    @Override
    public void obtained(IssuedCertificate certificate, boolean renewal) {
        if (!notifyObtained) {
            return;
        }
        String domain = certificate.metadata().domain();
        Map<String, String> fields = event(renewal ? "renewed" : "obtained", domain);
        fields.put("serialNumber", certificate.metadata().serialNumber());
        fields.put("notAfter", certificate.metadata().notAfter().toString());
        send(fields, "autocert4j: " + (renewal ? "renewed" : "obtained") + " the certificate for " + domain
                + "; it expires " + certificate.metadata().notAfter() + ".");
    }

    /**
     * Waits until every event so far was delivered or given up, retries included, for example
     * before a planned shutdown.
     *
     * @param timeout how long to wait at most
     * @return {@code true} if nothing is left to send, {@code false} if the time ran out first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public synchronized boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Stops the sending thread; events not yet delivered are dropped. */
    @Override
    public void close() {
        sender.shutdownNow();
        synchronized (this) {
            pending = 0;
            notifyAll();
        }
    }

    private synchronized void started() {
        pending++;
    }

    private synchronized void finished() {
        pending = Math.max(0, pending - 1); // a delivery ending after close() finds nothing pending
        notifyAll();
    }

    private Map<String, String> event(String event, String domain) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("event", event);
        fields.put("domain", domain);
        fields.put("time", clock.instant().toString());
        return fields;
    }

    private void send(Map<String, String> fields, String text) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("text", text);
        body.putAll(fields);
        String json = Json.object(body);
        started();
        try {
            sender.execute(() -> deliver(fields.get("event"), fields.get("domain"), json, 0));
        } catch (RejectedExecutionException closed) {
            finished();
            LOG.debug("The webhook notifier is closed; not sending the {} event", fields.get("event"));
        }
    }

    /** One attempt; schedules the next if it failed and retries are left, otherwise the event is finished. */
    private void deliver(String event, String domain, String json, int attempt) {
        boolean retrying = false;
        try {
            retrying = attempt(event, domain, json, attempt);
        } finally {
            if (!retrying) {
                finished();
            }
        }
    }

    /** @return whether a retry was scheduled */
    private boolean attempt(String event, String domain, String json, int attempt) {
        String problem;
        try {
            HttpResponse<Void> response = client.send(request(json), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status / 100 == 2) {
                LOG.debug("Sent the {} event for {} to the webhook at {}", event, domain, shownUrl);
                return false;
            }
            problem = "status " + status;
            if (!isWorthRetrying(status)) {
                LOG.warn("The webhook at {} refused the {} event for {} with status {}; not retrying", shownUrl, event,
                        domain, status);
                return false;
            }
        } catch (IOException e) {
            problem = e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().replace(url.toString(), shownUrl));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (attempt >= retryDelays.size()) {
            LOG.warn("Gave up sending the {} event for {} to the webhook at {} after {} attempts; last: {}", event,
                    domain, shownUrl, attempt + 1, problem);
            return false;
        }
        Duration delay = retryDelays.get(attempt);
        LOG.info("Sending the {} event for {} to the webhook at {} failed ({}); retrying in {}", event, domain,
                shownUrl, problem, delay);
        try {
            sender.schedule(() -> deliver(event, domain, json, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException closed) {
            LOG.debug("The webhook notifier is closed; dropping the {} event", event);
            return false;
        }
    }

    private HttpRequest request(String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "autocert4j")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return request.build();
    }

    private static boolean isWorthRetrying(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    @Override
    public String toString() {
        return "WebhookNotifier[" + shownUrl + "]";
    }

    /** Builds a {@link WebhookNotifier}. */
    public static final class Builder {
        private final URI url;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private List<Duration> retryDelays = List.of(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5));
        private Duration timeout = Duration.ofSeconds(10);
        private boolean notifyObtained;
        private Clock clock = Clock.systemUTC();
        private HttpClient client;

        private Builder(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw new InvalidInputException("webhookUrl", null, "must be an absolute http or https URL");
            }
            this.url = url;
        }

        /**
         * Adds a header to every request, for example {@code Authorization}. Its value is never logged.
         *
         * @param name  the header name
         * @param value its value
         * @return this builder
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (!name.matches("[A-Za-z0-9-]+") || value.contains("\r") || value.contains("\n")) {
                throw new InvalidInputException("header", name, "is not a valid header name and value");
            }
            headers.put(name, value);
            return this;
        }

        /**
         * Sets how long to wait before each retry of a failed delivery; as many retries as delays.
         * Default 10 s, 1 min, 5 min.
         *
         * @param delays the delays, possibly none for no retry
         * @return this builder
         */
        public Builder retryDelays(List<Duration> delays) {
            List<Duration> copy = new ArrayList<>(delays);
            for (Duration delay : copy) {
                if (delay == null || delay.isNegative()) {
                    throw new InvalidInputException("retryDelays", String.valueOf(delay), "must not be negative");
                }
            }
            this.retryDelays = copy;
            return this;
        }

        /**
         * Sets the timeout of connecting and of each request; default 10 s.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new InvalidInputException("timeout", String.valueOf(timeout), "must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Also sends an {@code obtained} or {@code renewed} event for each new certificate; off by default.
         *
         * @param notify whether to
         * @return this builder
         */
        public Builder notifyObtained(boolean notify) {
            this.notifyObtained = notify;
            return this;
        }

        /**
         * Sets the clock for the events' {@code time} field.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sends with this HTTP client instead of a new one (for a proxy, or custom trust).
         *
         * @param client the client
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** @return the notifier, with its sending thread started */
        public WebhookNotifier build() {
            return new WebhookNotifier(this);
        }
    }
}
