package dev.autocert4j.internal;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.CheckResult;
import dev.autocert4j.CheckResult.Action;
import dev.autocert4j.CheckResult.Condition;
import dev.autocert4j.RenewalLock;

import java.time.Instant;

/** Says what a check of one certificate did and why, in the words the admin reads in a one-shot tool's output. */
final class CheckOutcomes {

    private CheckOutcomes() {
    }

    /**
     * What the keeper knows about one certificate after checking it.
     *
     * @param startedAt    when the check of this certificate began
     * @param now          when it ended
     * @param before       the stored certificate before, or {@code null}
     * @param beforeCovered whether that certificate covered every name the enrollment asks for
     * @param after        the stored certificate after, or {@code null}
     * @param condition    the certificate's condition after
     * @param obtainedHere whether this keeper obtained a certificate during the check
     * @param failure      the message of the failure, or {@code null}
     * @param unreadable   why the stored certificate could not be read after, or {@code null}
     * @param pausedUntil  until when automatic renewal is paused, or {@code null}
     * @param lastError    the last recorded error, or {@code null}
     * @param lockHolder   who holds the renewal lock, or {@code null}
     * @param nextCheck    when the certificate is looked at next
     */
    record Facts(Instant startedAt, Instant now, CertificateMetadata before, boolean beforeCovered, CertificateMetadata after,
                 Condition condition, boolean obtainedHere, String failure, String unreadable, Instant pausedUntil,
                 String lastError, RenewalLock.Holder lockHolder, Instant nextCheck) {
    }

    static CheckResult.Outcome of(CertificateStatus status, Facts facts) {
        if (facts.failure() != null) {
            return CheckResult.Outcome.of(status, Action.FAILED, facts.condition(), failed(facts));
        }
        boolean replaced = facts.after() != null
                && (facts.before() == null || !facts.after().serialNumber().equals(facts.before().serialNumber()));
        if (facts.obtainedHere() || replaced) {
            Action action = facts.before() == null ? Action.OBTAINED : Action.RENEWED;
            return CheckResult.Outcome.of(status, action, facts.condition(), changed(facts));
        }
        return CheckResult.Outcome.of(status, Action.KEPT, facts.condition(), kept(facts));
    }

    /** For a certificate the check never reached (the thread was interrupted). */
    static CheckResult.Outcome interrupted(CertificateStatus status) {
        return CheckResult.Outcome.of(status, Action.FAILED, Condition.MISSING,
                "The check was interrupted before " + status.domain() + " was looked at; its condition is not known");
    }

    private static String failed(Facts facts) {
        String failure = facts.failure();
        if (facts.after() != null && (facts.condition() == Condition.VALID || facts.condition() == Condition.DUE)) {
            return failure + " The current certificate (serial " + facts.after().serialNumber() + ", valid until "
                    + facts.after().notAfter() + ") stays in place.";
        }
        return failure;
    }

    private static String changed(Facts facts) {
        CertificateMetadata after = facts.after();
        if (after == null) {
            return "A certificate was obtained, but the store no longer holds it" + unreadable(facts);
        }
        String now = "serial " + after.serialNumber() + ", valid until " + after.notAfter();
        if (!facts.obtainedHere()) {
            return "Another server " + (facts.before() == null ? "obtained" : "renewed") + " the certificate (" + now
                    + "); it is installed here.";
        }
        if (facts.before() == null) {
            return "No certificate was stored; obtained one (" + now + ").";
        }
        return whyRenewed(facts.before(), facts.beforeCovered(), facts.startedAt()) + " Renewed (" + now + ").";
    }

    private static String whyRenewed(CertificateMetadata before, boolean covered, Instant at) {
        String old = "The certificate (serial " + before.serialNumber() + ")";
        if (!at.isBefore(before.notAfter())) {
            return old + " had expired at " + before.notAfter() + ".";
        }
        if (at.plus(CheckSchedule.CLOCK_SKEW).isBefore(before.notBefore())) {
            return old + " is not valid before " + before.notBefore() + ".";
        }
        if (!covered) {
            return old + " did not cover every name of the enrollment.";
        }
        return old + " was due for renewal (it expires " + before.notAfter() + ").";
    }

    private static String kept(Facts facts) {
        if (facts.condition() == Condition.VALID) {
            return "Valid until " + facts.after().notAfter() + " and not due for renewal; next check " + facts.nextCheck()
                    + ".";
        }
        if (facts.pausedUntil() != null && facts.now().isBefore(facts.pausedUntil())) {
            return "Automatic renewal is paused until " + facts.pausedUntil() + " after validations failed repeatedly"
                    + (facts.lastError() == null ? "" : ": " + facts.lastError());
        }
        if (facts.lockHolder() != null) {
            return "Another server (" + facts.lockHolder() + ") is renewing it; checked again at " + facts.nextCheck()
                    + ".";
        }
        if (facts.unreadable() != null) {
            return facts.unreadable();
        }
        return "Not renewed" + (facts.lastError() == null ? "; next check " + facts.nextCheck() + "."
                : ": " + facts.lastError());
    }

    private static String unreadable(Facts facts) {
        return facts.unreadable() == null ? "." : ": " + facts.unreadable();
    }
}
