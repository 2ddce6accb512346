package dev.autocert4j;

/**
 * The self-check found that the CA would not reach the challenge, and the host asked to stop
 * rather than let the CA fail the authorization (which counts against its rate limits).
 */
public class SelfCheckFailedException extends AutoCertException {

    /** What the self-check found; not serialized (the message holds its summary). */
    private final transient SelfCheckReport report;

    /**
     * @param report what the self-check found
     */
    public SelfCheckFailedException(SelfCheckReport report) {
        super(report.summary());
        this.report = report;
    }

    /** @return what the self-check found */
    public SelfCheckReport report() {
        return report;
    }
}
