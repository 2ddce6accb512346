package dev.autocert4j.dns.providers;

import dev.autocert4j.dns.internal.DnsApi;
import dev.autocert4j.dns.internal.Json;
import dev.autocert4j.spi.DnsProvider;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * TXT records through a web hook of the admin's: each change is a signed JSON POST,
 * {@code {"action":"present"|"cleanup","fqdn":"_acme-challenge.example.com.","value":"..."}}, with
 * the time in {@value #TIMESTAMP_HEADER} (Unix seconds) and, in {@value #SIGNATURE_HEADER},
 * {@code sha256=} and the hex HMAC-SHA256 of {@code TIMESTAMP + "." + BODY} under the shared secret.
 */
final class WebhookProvider implements DnsProvider {

    /** The header that holds the time of the request, in seconds since 1970 (UTC). */
    static final String TIMESTAMP_HEADER = "X-Autocert4j-Timestamp";
    /** The header that holds the signature. */
    static final String SIGNATURE_HEADER = "X-Autocert4j-Signature";
    private static final String ALGORITHM = "HmacSHA256";

    private final URI url;
    private final SecretKeySpec key;
    private final Duration timeout;
    private final Clock clock;
    private final DnsApi.Sleeper sleeper;

    WebhookProvider(URI url, String secret, Duration timeout, Clock clock, DnsApi.Sleeper sleeper) {
        this.url = Objects.requireNonNull(url, "url");
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public void addTxtRecord(String zone, String name, String value) {
        post("present", RecordInput.recordName(zone, name), RecordInput.txtValue(value));
    }

    @Override
    public void removeTxtRecord(String zone, String name, String value) {
        post("cleanup", RecordInput.recordName(zone, name), RecordInput.txtValue(value));
    }

    private void post(String action, String name, String value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action", action);
        body.put("fqdn", name + ".");
        body.put("value", value);
        String json = Json.write(body);
        String timestamp = String.valueOf(clock.instant().getEpochSecond());
        URI origin = URI.create(url.getScheme() + "://" + url.getRawAuthority());
        DnsApi api = DnsApi.builder(WebhookProviderFactory.NAME, origin)
                .header(TIMESTAMP_HEADER, timestamp)
                .header(SIGNATURE_HEADER, "sha256=" + sign(timestamp + "." + json))
                .requestTimeout(timeout)
                .clock(clock)
                .sleeper(sleeper)
                .refusalHint("check that the secret is the one the web hook checks signatures with")
                .build();
        api.send("POST", url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath(), body);
    }

    private String sign(String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookProvider[" + url + "]"; // never the secret
    }
}
