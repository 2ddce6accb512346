package dev.autocert4j.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * The one place the library makes threads: each is named after its job and numbered, so a thread
 * dump says what it does, and an exception that escapes it is logged instead of printed to
 * standard error.
 */
final class NamedThreads {

    private static final Logger LOG = LoggerFactory.getLogger(NamedThreads.class);

    private NamedThreads() {
    }

    /**
     * A factory of daemon threads, which never keep the host's JVM from ending.
     *
     * @param prefix the job, as in {@code autocert4j-check}; threads are named {@code prefix-1}, {@code prefix-2}, ...
     * @return the factory
     */
    static ThreadFactory daemon(String prefix) {
        requireNonNull(prefix, "prefix");
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler(NamedThreads::logUncaught);
            return thread;
        };
    }

    private static void logUncaught(Thread thread, Throwable failure) {
        LOG.error("Thread {} ended with an unexpected exception", thread.getName(), failure);
    }
}
