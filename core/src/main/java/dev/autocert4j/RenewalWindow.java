package dev.autocert4j;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * The renewal window a CA suggests for a certificate through ACME Renewal Information
 * (RFC 9773). Where the CA offers one, it decides when to renew, not the {@link RenewalPolicy}.
 *
 * @param start       the start of the suggested window
 * @param end         the end of the suggested window
 * @param explanation a page the CA links to explain the window (for example a revocation
 *                    incident), or {@code null}
 */
public record RenewalWindow(Instant start, Instant end, URI explanation) {

    /**
     * Checks the window is not empty.
     *
     * @param start the start of the suggested window
     * @param end the end of the suggested window
     * @param explanation a page the CA links to explain the window (for example a revocation incident), or {@code null}
     */
    public RenewalWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("the window must end after it starts: " + start + " .. " + end);
        }
    }
}
