package dev.autocert4j.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadFactory;

import static org.assertj.core.api.Assertions.assertThat;

class NamedThreadsTest {

    @Test
    void threadsAreDaemonsNamedAfterTheirJobAndNumbered() {
        ThreadFactory factory = NamedThreads.daemon("autocert4j-test");

        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });

        assertThat(first.getName()).isEqualTo("autocert4j-test-1");
        assertThat(second.getName()).isEqualTo("autocert4j-test-2");
        assertThat(first.isDaemon()).isTrue();
        assertThat(second.isDaemon()).isTrue();
    }

    @Test
    void eachFactoryCountsOnItsOwn() {
        NamedThreads.daemon("autocert4j-a").newThread(() -> { });

        assertThat(NamedThreads.daemon("autocert4j-b").newThread(() -> { }).getName()).isEqualTo("autocert4j-b-1");
    }

    @Test
    void anExceptionThatEscapesAThreadIsLoggedWithTheThreadsName() throws InterruptedException {
        Thread thread = NamedThreads.daemon("autocert4j-failing").newThread(() -> {
            throw new IllegalStateException("escaped on purpose");
        });
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream standardError = System.err;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            thread.start();
            thread.join(10_000);
        } finally {
            System.setErr(standardError);
        }

        assertThat(thread.isAlive()).isFalse();
        assertThat(errors.toString(StandardCharsets.UTF_8))
                .contains("ERROR dev.autocert4j.internal.NamedThreads - Thread autocert4j-failing-1 ended with an unexpected exception")
                .contains("escaped on purpose")
                .doesNotContain("Exception in thread");
    }
}
