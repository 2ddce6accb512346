package dev.autocert4j.internal.acme;

import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PollerTest {

    private static final Set<Status> FINAL = Set.of(Status.VALID, Status.INVALID);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final List<Duration> pauses = new ArrayList<>();
    private final Poller poller = new Poller(clock, pause -> {
        pauses.add(pause);
        clock.advance(pause);
    }, Duration.ofSeconds(30));

    @Test
    void returnsAtOnceWhenTheFirstFetchIsFinal() throws Exception {
        Status status = poller.await(Optional::empty, () -> Status.VALID, FINAL, "the challenge");

        assertThat(status).isEqualTo(Status.VALID);
        assertThat(pauses).isEmpty();
    }

    @Test
    void aResourceTheCaJustAnsweredWithIsNotFetchedAgainAtOnce() throws Exception {
        int[] fetches = {0};
        Status[] current = {Status.PENDING};

        Status status = poller.awaitJustAnswered(() -> {
            fetches[0]++;
            current[0] = Status.VALID;
            return Optional.empty();
        }, () -> current[0], FINAL, "the challenge");

        assertThat(status).isEqualTo(Status.VALID);
        assertThat(fetches[0]).isEqualTo(1);
        assertThat(pauses).containsExactly(Duration.ofMillis(50));
    }

    @Test
    void aResourceTheCaAnsweredWithAFinalStatusIsNotFetchedAtAll() throws Exception {
        Status status = poller.awaitJustAnswered(() -> {
            throw new AssertionError("fetched");
        }, () -> Status.INVALID, FINAL, "the challenge");

        assertThat(status).isEqualTo(Status.INVALID);
        assertThat(pauses).isEmpty();
    }

    @Test
    void startsWithShortPausesThatGrow() throws Exception {
        Deque<Status> states = new ArrayDeque<>(List.of(Status.PENDING, Status.PROCESSING, Status.PROCESSING, Status.VALID));
        Status[] current = {null};

        Status status = poller.await(() -> {
            current[0] = states.pop();
            return Optional.empty();
        }, () -> current[0], FINAL, "the challenge");

        assertThat(status).isEqualTo(Status.VALID);
        assertThat(pauses).containsExactly(Duration.ofMillis(50), Duration.ofMillis(75), Duration.ofNanos(112_500_000));
    }

    @Test
    void waitsAsLongAsTheCasRetryAfterSays() throws Exception {
        Deque<Status> states = new ArrayDeque<>(List.of(Status.PROCESSING, Status.VALID));
        Status[] current = {null};

        poller.await(() -> {
            current[0] = states.pop();
            return Optional.of(clock.instant().plusSeconds(2));
        }, () -> current[0], FINAL, "the order");

        assertThat(pauses).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void pausesNeverExceedThreeSeconds() throws Exception {
        Status[] current = {Status.PROCESSING};
        int[] fetches = {0};

        poller.await(() -> {
            if (++fetches[0] == 16) {
                current[0] = Status.VALID;
            }
            return Optional.empty();
        }, () -> current[0], FINAL, "the order");

        assertThat(pauses).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(Duration.ofSeconds(3)));
        assertThat(pauses.get(pauses.size() - 1)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void givesUpAfterTheTimeoutSayingWhatIsStuck() {
        assertThatThrownBy(() -> poller.await(Optional::empty, () -> Status.PROCESSING, FINAL, "The order for portal.example.com"))
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessage("The order for portal.example.com is still 'processing' after 30 s; the CA is slow or stuck, try again later");
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-25T12:00:30Z"));
    }
}
