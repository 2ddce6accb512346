package dev.autocert4j.admin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The admin page's answer to one {@link AdminRequest}: a status, headers and a body, for the mount
 * to write to its server as they are (every header, each {@code Set-Cookie} on its own line).
 */
public final class AdminResponse {

    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;

    AdminResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body.clone();
    }

    /** @return the HTTP status code */
    public int status() {
        return status;
    }

    /** @return the headers, names as written, in order; a name may repeat (such as {@code Set-Cookie}) */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /**
     * @param name a header's name, in any case
     * @return every value given for it
     */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                values.add(header.getValue());
            }
        }
        return values;
    }

    /** @return a copy of the body (empty for none) */
    public byte[] body() {
        return body.clone();
    }

    /** @return the body as UTF-8 text */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
