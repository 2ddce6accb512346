package dev.autocert4j.internal;

import dev.autocert4j.AutoCertListener;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.spi.RenewalPolicy;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The renewal thread runs due checks on its executor and stops cleanly; start and stop are idempotent. */
class RenewalThreadTest {

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void shutDown() {
        executor.shutdownNow();
    }

    @Test
    void startRunsTheDueCheckOnTheExecutorAndStopCancelsTheNextOne() throws Exception {
        FakeIssuer issuer = new FakeIssuer(Clock.systemUTC());
        CountDownLatch obtained = new CountDownLatch(1);
        AutoCertListener listener = new AutoCertListener() {
            @Override
            public void obtained(IssuedCertificate certificate, boolean renewal) {
                obtained.countDown();
            }
        };
        CertificateKeeper keeper = new CertificateKeeper(issuer, new InMemoryCertificateStore(),
                new RecordingBindingProvider("http://thread.example.com:8080"), new InMemoryChallengeSolver(),
                new CertificateKeeper.Settings(RenewalPolicy.standard(), Clock.systemUTC(), new SplittableRandom(1),
                        List.of(listener), true, 5, KeyType.EC_P256, null, InstallVerifier.none()));
        keeper.manage(Enrollments.request("http://thread.example.com:8080"), true);
        RenewalThread thread = new RenewalThread(keeper, Clock.systemUTC(), executor, false);

        thread.start();
        thread.start();

        assertThat(obtained.await(10, TimeUnit.SECONDS)).as("the first check ran").isTrue();
        thread.stop();
        thread.stop();
        executor.shutdown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(issuer.calls()).as("one obtain despite two starts").isEqualTo(1);
        assertThat(executor.getQueue()).isEmpty();
        assertThatThrownBy(thread::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
