package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Pebble goes away and comes back between renewal checks; nothing is lost and renewal completes. */
class CaOutageIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    @Test
    void renewalWaitsOutAnOutageAndSurvivesACaThatForgotTheAccount() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        RecordingBindingProvider host = new RecordingBindingProvider("http://outage.autocert4j.test:8080");
        try (TestChallengeServer challenges = new TestChallengeServer(PEBBLE.httpChallengePort());
             AutoCert autoCert = Enrollments.autoCert(PEBBLE, host, challenges, store)
                     .clock(clock)
                     .certificateLifetime(Duration.ofDays(2))
                     .networkTimeout(Duration.ofSeconds(2))
                     .build()) {
            autoCert.enroll(Enrollments.request("http://outage.autocert4j.test:8080"));
            IssuedCertificate working = store.loadCertificate("outage.autocert4j.test").orElseThrow();
            AcmeAccount account = store.loadAccount(PEBBLE.directoryUri()).orElseThrow();

            PEBBLE.server().stop();
            clock.advance(Duration.ofHours(25));
            autoCert.checkNow();

            CertificateStatus failed = autoCert.status("outage.autocert4j.test");
            assertThat(failed.lastError()).contains("Could not reach Pebble");
            assertThat(failed.serialNumber()).isEqualTo(working.metadata().serialNumber());
            assertThat(host.installed().values()).containsExactly(working);
            assertThat(failed.nextCheck()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));

            PEBBLE.server().restart();
            clock.advance(Duration.ofMinutes(1));
            autoCert.checkNow();

            CertificateStatus renewed = autoCert.status("outage.autocert4j.test");
            assertThat(renewed.lastError()).isNull();
            assertThat(renewed.serialNumber()).isNotEqualTo(working.metadata().serialNumber());
            AcmeAccount after = store.loadAccount(PEBBLE.directoryUri()).orElseThrow();
            assertThat(after.keyPair().getPublic()).as("same account key").isEqualTo(account.keyPair().getPublic());
            assertThat(after.location()).as("registered again at the restarted CA").isNotEqualTo(account.location());
        }
    }
}
