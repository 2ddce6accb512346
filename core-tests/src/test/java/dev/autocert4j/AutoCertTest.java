package dev.autocert4j;

import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificateAuthority;
import dev.autocert4j.testing.Enrollments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AutoCert's own life cycle, without a CA: resuming, closing, and what is refused after. */
class AutoCertTest {

    private final InMemoryCertificateStore store = new InMemoryCertificateStore();
    private final RecordingBindingProvider host = new RecordingBindingProvider("http://portal.example.com:8080");

    private final ScheduledThreadPoolExecutor renewalExecutor = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stopExecutor() {
        renewalExecutor.shutdownNow();
    }

    private AutoCert autoCert() {
        return AutoCert.builder().certificateAuthority(CertificateAuthority.at(URI.create("https://127.0.0.1:1/dir")))
                .bindingProvider(host).challengeSolver(new InMemoryChallengeSolver()).certificateStore(store)
                .renewalExecutor(renewalExecutor).build();
    }

    @Test
    void resumeInstallsTheStoredEnrollmentsOnceWithoutStartingAThread() {
        try (AutoCert first = autoCert()) {
            first.manage(Enrollments.request("http://portal.example.com:8080"));
        }
        store.saveCertificate(new TestCertificateAuthority("Resume test CA").issue("portal.example.com"));

        try (AutoCert restarted = autoCert()) {
            assertThat(restarted.resume()).containsExactly("portal.example.com");
            assertThat(restarted.resume()).as("a second call does nothing").isEmpty();
            assertThat(host.installed()).containsKey(Binding.parse("https://portal.example.com:8443"));
            assertThat(renewalExecutor.getTaskCount()).as("nothing scheduled: resume() starts no checks").isZero();

            restarted.start();
            assertThat(renewalExecutor.getTaskCount()).as("start() does").isPositive();
        }
    }

    @Test
    void startOrResumeAfterCloseIsAClearError() {
        AutoCert autoCert = autoCert();
        autoCert.close();
        autoCert.close();

        assertThatThrownBy(autoCert::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("This AutoCert is closed; build a new one to start again");
        assertThatThrownBy(autoCert::resume).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void startWatchesTheStoreForCertificatesOtherServersSaveAndCloseStopsIt() {
        TestCertificateAuthority otherServer = new TestCertificateAuthority("Watch test CA");
        Binding https = Binding.parse("https://portal.example.com:8443");
        try (AutoCert autoCert = autoCert()) {
            autoCert.manage(Enrollments.request("http://portal.example.com:8080"));
            autoCert.start();

            IssuedCertificate renewed = otherServer.issue("portal.example.com");
            store.saveFromElsewhere(renewed);
            assertThat(host.installed().get(https)).isSameAs(renewed);

            autoCert.close();
            store.saveFromElsewhere(otherServer.issue("portal.example.com"));
            assertThat(host.installed().get(https)).as("no longer watching").isSameAs(renewed);
        }
    }
}
