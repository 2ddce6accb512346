package dev.autocert4j.spi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place autocert4j and its plugins make threads: each is named after its job and numbered,
 * so that a thread dump says what it does; it is a daemon, so it never keeps the host's JVM from
 * ending; and an exception that escapes it is logged (SLF4J) instead of printed to standard error.
 *
 * <pre>{@code
 * ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("my-store-sync"));
 * }</pre>
 *
 * @since 0.2.0
 */
public final class NamedThreads {

    private static final Logger LOG = LoggerFactory.getLogger(NamedThreads.class);

    private NamedThreads() {
    }

    /**
     * Makes a factory of daemon threads named {@code prefix-1}, {@code prefix-2}, and so on.
     *
     * @param prefix the job, such as {@code autocert4j-renewal}
     * @return the factory
     */
    public static ThreadFactory daemon(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler(NamedThreads::logUncaught);
            return thread;
        };
    }

    /**
     * Starts one daemon thread for a task, named {@code name-1}.
     *
     * @param name the job
     * @param task what it runs
     * @return the started thread
     */
    public static Thread start(String name, Runnable task) {
        Thread thread = daemon(name).newThread(Objects.requireNonNull(task, "task"));
        thread.start();
        return thread;
    }

    private static void logUncaught(Thread thread, Throwable failure) {
        LOG.error("Thread {} ended with an unexpected exception", thread.getName(), failure);
    }
}
