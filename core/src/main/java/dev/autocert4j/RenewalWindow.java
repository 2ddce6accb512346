package dev.autocert4j;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The renewal window a CA suggests for a certificate through ACME Renewal Information
 * (RFC 9773). Where the CA offers one, it decides when to renew, not the {@link RenewalPolicy}.
 * Immutable.
 */
public final class RenewalWindow {

    private final Instant start;
    private final Instant end;
    private final URI explanation;

    /**
     * Creates a window.
     *
     * @param start       the start of the suggested window
     * @param end         the end of the suggested window, after {@code start}
     * @param explanation a page the CA links to explain the window (for example a revocation
     *                    incident), or {@code null}
     * @throws IllegalArgumentException if the window does not end after it starts
     */
    public RenewalWindow(Instant start, Instant end, URI explanation) {
        this.start = Objects.requireNonNull(start, "start");
        this.end = Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("the window must end after it starts: " + start + " .. " + end);
        }
        this.explanation = explanation;
    }

    /** @return the start of the suggested window */
    public Instant start() {
        return start;
    }

    /** @return the end of the suggested window */
    public Instant end() {
        return end;
    }

    /**
     * @return the page the CA links to explain the window, or {@code null}
     * @see #explanationPage()
     */
    public URI explanation() {
        return explanation;
    }

    /** @return the page the CA links to explain the window, if any */
    public Optional<URI> explanationPage() {
        return Optional.ofNullable(explanation);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RenewalWindow that && start.equals(that.start) && end.equals(that.end)
                && Objects.equals(explanation, that.explanation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, end, explanation);
    }

    @Override
    public String toString() {
        return "RenewalWindow[" + start + " .. " + end + (explanation == null ? "" : ", explanation=" + explanation) + "]";
    }
}
