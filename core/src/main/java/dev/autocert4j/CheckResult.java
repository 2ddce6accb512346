package dev.autocert4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a check of every managed certificate ({@link AutoCert#checkAll()}) did: one
 * {@link Outcome} per managed certificate, saying what happened to it and in what condition it is
 * afterwards. A one-shot tool (a cron job) exits successfully only when {@link #succeeded()}.
 * Immutable.
 *
 * @since 0.2.0
 */
public final class CheckResult {

    /** What a check did with one certificate. */
    public enum Action {
        /** Nothing was obtained: the stored certificate, if any, stays as it was ({@link Outcome#reason()} says why). */
        KEPT,
        /** No certificate was stored, and one was obtained. */
        OBTAINED,
        /** The stored certificate was due, expired or incomplete, and a new one replaced it. */
        RENEWED,
        /** Obtaining, renewing or installing failed; nothing that worked before was deleted or replaced. */
        FAILED
    }

    /** The condition of one certificate after a check. */
    public enum Condition {
        /** Valid now, covering every enrolled name, and not due for renewal. */
        VALID,
        /** Valid now, but due for renewal (by the renewal policy or the CA), or not covering every enrolled name. */
        DUE,
        /** Its validity has ended. */
        EXPIRED,
        /** No certificate that can be served is stored: none at all, unreadable, or not valid yet. */
        MISSING
    }

    private final List<Outcome> outcomes;

    private CheckResult(Builder builder) {
        this.outcomes = List.copyOf(builder.outcomes);
    }

    /** @return a builder for a result with no outcome yet */
    public static Builder builder() {
        return new Builder();
    }

    /** @return one outcome per managed certificate, ordered by domain */
    public List<Outcome> outcomes() {
        return outcomes;
    }

    /**
     * @param domain a managed domain
     * @return its outcome, if it was checked
     */
    public Optional<Outcome> outcome(String domain) {
        Objects.requireNonNull(domain, "domain");
        return outcomes.stream().filter(outcome -> outcome.domain().equals(domain)).findFirst();
    }

    /** @return whether every certificate is {@linkplain Condition#VALID valid and not due}; {@code true} when none is managed */
    public boolean allValidAndNotDue() {
        return outcomes.stream().allMatch(outcome -> outcome.condition() == Condition.VALID);
    }

    /** @return whether obtaining, renewing or installing any certificate failed */
    public boolean anyFailed() {
        return outcomes.stream().anyMatch(outcome -> outcome.action() == Action.FAILED);
    }

    /**
     * Whether the check leaves nothing to do: nothing failed, and every certificate is valid and not due.
     *
     * @return {@code true} when a one-shot tool may report success; also when nothing is managed
     */
    public boolean succeeded() {
        return allValidAndNotDue() && !anyFailed();
    }

    /** @return the outcomes that keep the check from {@linkplain #succeeded() succeeding} */
    public List<Outcome> problems() {
        return outcomes.stream().filter(outcome -> !outcome.isGood()).toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CheckResult that && outcomes.equals(that.outcomes);
    }

    @Override
    public int hashCode() {
        return outcomes.hashCode();
    }

    @Override
    public String toString() {
        return "CheckResult[succeeded=" + succeeded() + ", outcomes=" + outcomes + "]";
    }

    /** Builds a {@link CheckResult}. */
    public static final class Builder {
        private final List<Outcome> outcomes = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param outcome what the check did with one certificate
         * @return this builder
         */
        public Builder outcome(Outcome outcome) {
            outcomes.add(Objects.requireNonNull(outcome, "outcome"));
            return this;
        }

        /** @return the result, its outcomes ordered by domain */
        public CheckResult build() {
            outcomes.sort((a, b) -> a.domain().compareTo(b.domain()));
            return new CheckResult(this);
        }
    }

    /**
     * What a check did with one managed certificate, why, and the certificate's
     * {@linkplain CertificateStatus status} and {@linkplain Condition condition} afterwards. Immutable.
     */
    public static final class Outcome {
        private final CertificateStatus status;
        private final Action action;
        private final Condition condition;
        private final String reason;

        private Outcome(CertificateStatus status, Action action, Condition condition, String reason) {
            this.status = Objects.requireNonNull(status, "status");
            this.action = Objects.requireNonNull(action, "action");
            this.condition = Objects.requireNonNull(condition, "condition");
            this.reason = Objects.requireNonNull(reason, "reason");
        }

        /**
         * Creates an outcome.
         *
         * @param status    the certificate's status after the check
         * @param action    what the check did
         * @param condition the certificate's condition after the check
         * @param reason    why, in a sentence for the admin: the error where it failed
         * @return the outcome
         */
        public static Outcome of(CertificateStatus status, Action action, Condition condition, String reason) {
            return new Outcome(status, action, condition, reason);
        }

        /** @return the managed domain: the enrollment's first name */
        public String domain() {
            return status.domain();
        }

        /** @return the certificate's status after the check, with the last error where it failed */
        public CertificateStatus status() {
            return status;
        }

        /** @return what the check did */
        public Action action() {
            return action;
        }

        /** @return the certificate's condition after the check */
        public Condition condition() {
            return condition;
        }

        /** @return why: what was renewed and why, why nothing was done, or the error where it failed */
        public String reason() {
            return reason;
        }

        /** @return whether nothing failed and the certificate is valid and not due */
        public boolean isGood() {
            return action != Action.FAILED && condition == Condition.VALID;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Outcome that && status.equals(that.status) && action == that.action
                    && condition == that.condition && reason.equals(that.reason);
        }

        @Override
        public int hashCode() {
            return Objects.hash(status.domain(), action, condition, reason);
        }

        @Override
        public String toString() {
            return "Outcome[domain=" + domain() + ", action=" + action + ", condition=" + condition + ", reason=" + reason
                    + "]";
        }
    }
}
