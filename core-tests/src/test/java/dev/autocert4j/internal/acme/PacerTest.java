package dev.autocert4j.internal.acme;

import dev.autocert4j.internal.HeldBackException;
import dev.autocert4j.RateLimit;
import dev.autocert4j.RateLimitedException;
import dev.autocert4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Requests held under a CA's published limit, as a token bucket over an injected clock. */
class PacerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T00:00:00Z"));

    @Test
    void aFullBucketLetsABurstThroughThenOneRequestPerRefillInterval() {
        Pacer pacer = new Pacer(RateLimit.of(3, Duration.ofMinutes(3)), clock);
        for (int i = 0; i < 3; i++) {
            pacer.take("Test CA", "new orders");
        }

        RateLimitedException held = catchThrowableOfType(() -> pacer.take("Test CA", "new orders"),
                RateLimitedException.class);
        assertThat(held.retryAfter()).contains(clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(held).hasMessageContaining("Test CA allows 3 per 3m new orders");

        clock.set(clock.instant().plus(Duration.ofSeconds(60)));
        pacer.take("Test CA", "new orders");
        assertThatThrownBy(() -> pacer.take("Test CA", "new orders")).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void requestsHeldBackOneAfterAnotherAreToldToComeBackOneIntervalApart() {
        Pacer pacer = new Pacer(RateLimit.of(1, Duration.ofSeconds(36)), clock);
        pacer.take("Test CA", "new orders");
        Instant start = clock.instant();

        assertThat(heldBackUntil(pacer)).isEqualTo(start.plusSeconds(36));
        assertThat(heldBackUntil(pacer)).isEqualTo(start.plusSeconds(72));
        assertThat(heldBackUntil(pacer)).isEqualTo(start.plusSeconds(108));

        clock.set(start.plusSeconds(36));
        pacer.take("Test CA", "new orders");
    }

    private static Instant heldBackUntil(Pacer pacer) {
        return catchThrowableOfType(() -> pacer.take("Test CA", "new orders"), HeldBackException.class)
                .retryAfter().orElseThrow();
    }

    @Test
    void theBucketRefillsNoFurtherThanFull() {
        Pacer pacer = new Pacer(RateLimit.of(2, Duration.ofHours(1)), clock);
        pacer.take("Test CA", "new orders");
        clock.set(clock.instant().plus(Duration.ofDays(1)));

        pacer.take("Test CA", "new orders");
        pacer.take("Test CA", "new orders");
        assertThatThrownBy(() -> pacer.take("Test CA", "new orders")).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void withoutALimitNothingIsHeldBack() {
        Pacer pacer = new Pacer(null, clock);
        assertThatCode(() -> {
            for (int i = 0; i < 10_000; i++) {
                pacer.take("Test CA", "new orders");
            }
        }).doesNotThrowAnyException();
    }
}
