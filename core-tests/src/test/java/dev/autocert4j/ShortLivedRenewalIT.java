package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A six-day certificate from Pebble under the standard policy (check daily, renew within 21 days):
 * with the clock moved from one scheduled check to the next, it is looked at several times a day
 * and renewed before it expires, once.
 */
class ShortLivedRenewalIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().certificateValidity(Duration.ofDays(6));

    @Test
    void aSixDayCertificateIsCheckedSeveralTimesADayAndRenewedOnTime() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        String binding = "http://six-days.autocert4j.test:8080";
        try (TestChallengeServer challenges = new TestChallengeServer(PEBBLE.httpChallengePort());
             AutoCert autoCert = Enrollments.autoCert(PEBBLE, new RecordingBindingProvider(binding), challenges, store)
                     .clock(clock).build()) {
            CertificateStatus first = autoCert.enroll(Enrollments.request(binding));
            assertThat(Duration.between(first.notBefore(), first.notAfter())).isLessThanOrEqualTo(Duration.ofDays(6));
            int issued = PEBBLE.server().issuedCount();
            List<Instant> checks = new ArrayList<>();

            CertificateStatus status = first;
            while (status.serialNumber().equals(first.serialNumber()) && clock.instant().isBefore(first.notAfter())) {
                clock.set(status.nextCheck());
                checks.add(clock.instant());
                autoCert.checkNow();
                status = autoCert.status("six-days.autocert4j.test");
            }

            assertThat(status.serialNumber()).as("renewed").isNotEqualTo(first.serialNumber());
            assertThat(clock.instant()).as("before the first one expired").isBefore(first.notAfter());
            assertThat(checks.stream().filter(at -> at.isBefore(first.notBefore().plus(Duration.ofDays(1)))).count())
                    .as("checks on its first day").isGreaterThanOrEqualTo(3);
            assertThat(PEBBLE.server().issuedCount()).as("renewed once").isEqualTo(issued + 1);
        }
    }
}
