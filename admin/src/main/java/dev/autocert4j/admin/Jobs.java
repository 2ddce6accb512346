package dev.autocert4j.admin;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.ChallengeFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The action the admin started last: one runs at a time, in the background, while the page shows
 * its stage; a second one started meanwhile is refused with a word, not queued.
 */
final class Jobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

    /** What the last action is doing or came to. */
    record Job(boolean running, String action, String stage, String error, String httpsUrl) {
        static final Job IDLE = new Job(false, null, null, null, null);
    }

    /** What a finished action says. */
    record Outcome(String message, String httpsUrl) {
    }

    /** An action's work, checked and ready to run. */
    @FunctionalInterface
    interface Work {
        Outcome run();
    }

    private final ExecutorService worker = Executors.newSingleThreadExecutor(new NamedThreads("autocert4j-admin-job"));
    private volatile Job job = Job.IDLE;

    Job current() {
        return job;
    }

    /** @return whether the work started; false if another action is still running */
    synchronized boolean start(String action, Work work) {
        if (job.running()) {
            return false;
        }
        job = new Job(true, action, "Starting…", null, null);
        worker.submit(() -> run(action, work));
        return true;
    }

    private void run(String action, Work work) {
        try {
            Outcome outcome = work.run();
            job = new Job(false, action, outcome.message(), null, outcome.httpsUrl());
        } catch (AutoCertException e) {
            job = new Job(false, action, null, e.getMessage() + troubleshooting(e), null);
        } catch (RuntimeException e) {
            LOG.warn("The admin page's action {} failed unexpectedly", action, e);
            job = new Job(false, action, null, "Unexpected failure: " + e, null);
        }
    }

    /** Shows the stage of the running action; ignored when none runs. */
    void stage(String text) {
        Job current = job;
        if (current.running()) {
            job = new Job(true, current.action(), text, null, null);
        }
    }

    /** Records an action refused before it started (bad input), for the page to show. */
    synchronized void refused(String action, String error) {
        if (!job.running()) {
            job = new Job(false, action, null, error, null);
        }
    }

    private static String troubleshooting(AutoCertException e) {
        if (!(e instanceof ChallengeFailedException failed)) {
            return "";
        }
        return "\n\nTroubleshooting: open " + failed.challengeUrl() + " from outside your network; it must answer"
                + " on plain HTTP port 80 (check the firewall and port forwarding), must not redirect to HTTPS, and"
                + " no HSTS policy may apply to it. Also check that the DNS name points to this server and that"
                + " port 443 is open for the HTTPS binding afterwards.";
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
