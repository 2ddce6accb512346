package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pebble rejects a fifth of all good nonces as bad; every enrollment must still succeed. */
class NonceRejectionIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().nonceRejectPercent(20);

    @Test
    void twentyEnrollmentsInARowAllSucceedDespiteBadNonces() throws Exception {
        List<String> bindings = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bindings.add("http://site" + i + ".autocert4j.test:8080");
        }
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (TestChallengeServer challenges = new TestChallengeServer(PEBBLE.httpChallengePort())) {
            AutoCert autoCert = Enrollments.autoCert(PEBBLE,
                new RecordingBindingProvider(bindings.toArray(String[]::new)), challenges, store).build();

            for (String binding : bindings) {
                autoCert.enroll(Enrollments.request(binding));
            }
        }

        assertThat(store.domains()).hasSize(20);
        assertThat(store.certificateSaves()).isEqualTo(20);
    }
}
