package dev.autocert4j;

import dev.autocert4j.internal.Issuer;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeResponder;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The renewal thread runs due checks on its executor and stops cleanly; start and stop are idempotent. */
class RenewalThreadTest {

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void shutDown() {
        executor.shutdownNow();
    }

    @Test
    void startRunsTheDueCheckOnTheExecutorAndStopCancelsTheNextOne() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        CountDownLatch obtained = new CountDownLatch(1);
        Issuer issuer = new Issuer() {
            @Override
            public IssuedCertificate obtain(String domain, Registration registration, ChallengeResponder responder,
                                            X509Certificate replacing) {
                issued.incrementAndGet();
                return TestCertificates.issued(domain);
            }

            @Override
            public Optional<RenewalWindow> renewalWindow(java.util.function.Supplier<X509Certificate> certificate) {
                return Optional.empty();
            }
        };
        AutoCertListener listener = new AutoCertListener() {
            @Override
            public void obtained(IssuedCertificate certificate, boolean renewal) {
                obtained.countDown();
            }
        };
        CertificateKeeper keeper = new CertificateKeeper(issuer, new InMemoryCertificateStore(),
                new RecordingBindingProvider("http://thread.example.com:8080"), new InMemoryChallengeResponder(),
                RenewalPolicy.standard(), Clock.systemUTC(), new SplittableRandom(1), List.of(listener), true);
        keeper.manage(Enrollments.request("http://thread.example.com:8080"));
        RenewalThread thread = new RenewalThread(keeper, Clock.systemUTC(), executor, false);

        thread.start();
        thread.start();

        assertThat(obtained.await(10, TimeUnit.SECONDS)).as("the first check ran").isTrue();
        thread.stop();
        thread.stop();
        executor.shutdown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(issued.get()).as("one obtain despite two starts").isEqualTo(1);
        assertThat(executor.getQueue()).isEmpty();
    }
}
