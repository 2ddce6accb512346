package dev.autocert4j;

import org.shredzone.acme4j.exception.AcmeProtocolException;
import org.shredzone.acme4j.toolbox.JSON;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Asks ZeroSSL's API for the external account binding of an email address. The API answers 200
 * also when it refuses, with {@code "success": false} and an error object, so the body decides, not
 * the status. Redirects are not followed, the answer is capped, and the HMAC key never appears in a
 * message or a {@code toString}.
 */
final class ZeroSslCredentials {

    /** Far more than the few hundred bytes of a real answer. */
    static final int LONGEST_ANSWER = 64 * 1024;

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param endpoint the credentials endpoint, such as {@code https://api.zerossl.com/acme/eab-credentials-email}
     * @param timeout  how long connecting and the answer may take, each
     */
    ZeroSslCredentials(URI endpoint, Duration timeout) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    /**
     * The binding ZeroSSL gives an email address.
     *
     * @param keyId   the EAB key id
     * @param hmacKey the base64url HMAC key (a secret)
     */
    record Binding(String keyId, String hmacKey) {
        /** Describes the binding without its HMAC key. */
        @Override
        public String toString() {
            return "Binding[keyId=" + keyId + "]";
        }
    }

    /**
     * Fetches the binding for an email address already checked by the caller.
     *
     * @param email the account's email address
     * @return the key id and HMAC key
     * @throws CertificateAuthorityException if ZeroSSL refused, could not be reached or answered garbage
     */
    Binding fetch(String email) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw failure("could not be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("was not asked: the thread was interrupted", e);
        }
        if (response.statusCode() / 100 == 3) {
            throw failure("answered with a redirect (HTTP " + response.statusCode() + "), which is not followed", null);
        }
        String body = cappedBody(response);
        if (response.statusCode() != 200) {
            throw failure("answered HTTP " + response.statusCode() + errorIn(body), null);
        }
        return bindingIn(body, email);
    }

    private Binding bindingIn(String body, String email) {
        try {
            JSON answer = JSON.parse(body);
            if (!answer.get("success").optional().map(JSON.Value::asBoolean).orElse(false)) {
                throw failure("refused credentials for " + email + errorIn(body), null);
            }
            String keyId = answer.get("eab_kid").asString();
            String hmacKey = answer.get("eab_hmac_key").asString();
            if (keyId.isBlank() || hmacKey.isBlank()) {
                throw failure("answered success without a key id or an HMAC key", null);
            }
            return new Binding(keyId, hmacKey);
        } catch (AcmeProtocolException | ClassCastException e) {
            throw failure("answered something that is not its credentials JSON", null);
        }
    }

    /** ZeroSSL's error object, as {@code : <type> (code <code>)}, or nothing when the body has none. */
    private static String errorIn(String body) {
        try {
            JSON error = JSON.parse(body).get("error").asObject();
            String type = error.get("type").optional().map(JSON.Value::asString).orElse("unknown");
            String code = error.get("code").optional().map(value -> String.valueOf(value.asInt())).orElse("none");
            return ": " + printable(type) + " (code " + printable(code) + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The text of a field the server chose, cut short and without control characters, for a log line. */
    private static String printable(String text) {
        String shown = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    private String cappedBody(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes(LONGEST_ANSWER + 1);
            if (body.length > LONGEST_ANSWER) {
                throw failure("answered more than " + LONGEST_ANSWER + " bytes", null);
            }
            return new String(body, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw failure("broke off its answer: " + e.getMessage(), e);
        }
    }

    private CertificateAuthorityException failure(String what, Throwable cause) {
        return new CertificateAuthorityException("ZeroSSL's credentials endpoint " + endpoint + " " + what, null, null, cause);
    }
}
