package dev.autocert4j.spi;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class NamedThreadsTest {

    /** The library's modules, beside this one; the demo, benchmarks and test kit are not the library. */
    private static final List<String> LIBRARY_MODULES = List.of("core", "challenge-http", "challenge-dns", "store-pkcs12",
            "store-jdbc", "server-jetty", "server-tomcat", "server-servlet", "server-netty", "micrometer",
            "spring-boot-starter");
    private static final Pattern NEW_THREAD = Pattern.compile("\\bnew Thread\\s*\\(");

    @Test
    void threadsAreNumberedDaemonsNamedAfterTheirJob() {
        ThreadFactory factory = NamedThreads.daemon("autocert4j-test");

        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });

        assertThat(first.getName()).isEqualTo("autocert4j-test-1");
        assertThat(second.getName()).isEqualTo("autocert4j-test-2");
        assertThat(first.isDaemon()).isTrue();
    }

    @Test
    void eachFactoryCountsOnItsOwn() {
        NamedThreads.daemon("autocert4j-a").newThread(() -> { });

        assertThat(NamedThreads.daemon("autocert4j-b").newThread(() -> { }).getName()).isEqualTo("autocert4j-b-1");
    }

    @Test
    void anExceptionThatEscapesAThreadIsLoggedWithTheThreadsNameNotPrintedByTheThreadGroup() throws Exception {
        Thread thread = NamedThreads.daemon("autocert4j-failing").newThread(() -> {
            throw new IllegalStateException("escaped on purpose");
        });
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream standardError = System.err;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            thread.start();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } finally {
            System.setErr(standardError);
        }

        assertThat(thread.isAlive()).isFalse();
        assertThat(errors.toString(StandardCharsets.UTF_8))
                .contains("ERROR dev.autocert4j.spi.NamedThreads - Thread autocert4j-failing-1 ended with an unexpected exception")
                .contains("escaped on purpose")
                .doesNotContain("Exception in thread");
    }

    @Test
    void startRunsTheTaskOnANamedDaemon() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        String[] name = new String[1];
        Thread thread = NamedThreads.start("autocert4j-once", () -> {
            name[0] = Thread.currentThread().getName();
            ran.countDown();
        });

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(name[0]).isEqualTo("autocert4j-once-1");
        assertThat(thread.isDaemon()).isTrue();
    }

    @Test
    void noOtherPlaceInTheLibraryMakesAThread() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> makers;
        try (Stream<Path> sources = LIBRARY_MODULES.stream().map(module -> root.resolve(module))
                .filter(Files::isDirectory).flatMap(NamedThreadsTest::javaSources)) {
            makers = sources.filter(NamedThreadsTest::makesAThread)
                    .map(source -> root.relativize(source).toString()).sorted().toList();
        }

        assertThat(makers).containsExactly("core/src/main/java/dev/autocert4j/spi/NamedThreads.java");
    }

    private static Stream<Path> javaSources(Path module) {
        try {
            return Files.walk(module).filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> path.toString().contains("/src/main/java/")).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean makesAThread(Path source) {
        try {
            return NEW_THREAD.matcher(Files.readString(source)).find();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
