package dev.autocert4j.examples;

import dev.autocert4j.CertificateStatus;
import dev.autocert4j.InstallResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("removal") // the 0.1 constructor still works
class StatusJsonTest {

    @Test
    void writesEveryFieldWithNullsAndEscapesAndReadsItBack() {
        CertificateStatus status = new CertificateStatus("portal.example.com", Instant.parse("2026-11-25T10:00:00Z"),
                Instant.parse("2026-11-25T09:59:00Z"), Instant.parse("2027-02-23T09:59:00Z"), "1a2b", "CN=\"R3\", O=Let's Encrypt",
                null, Instant.parse("2026-11-25T10:00:00Z"), "line one\nline \\two \\n\ttab \u0001", InstallResult.LIVE, null);

        String json = StatusJson.of(status);

        assertThat(json).startsWith("{\"domain\":\"portal.example.com\",\"lastRenewed\":\"2026-11-25T10:00:00Z\"")
                .contains("\"nextCheck\":null").contains("\\\"R3\\\"").contains("line one\\nline \\\\two \\\\n\\ttab \\u0001");
        Map<String, String> back = JsonFields.of(json);
        assertThat(back.get("issuer")).isEqualTo("CN=\"R3\", O=Let's Encrypt");
        assertThat(back.get("lastError")).isEqualTo("line one\nline \\two \\n\ttab \u0001");
        assertThat(back.get("nextCheck")).isNull();
        assertThat(back.get("installResult")).isEqualTo("LIVE");
        assertThat(back.get("names")).isEqualTo("portal.example.com");
        assertThat(back.get("pausedUntil")).isNull();
    }

    @Test
    void writesEveryNameAndAPauseAfterTheFieldsScriptsAlreadyRead() {
        CertificateStatus status = CertificateStatus.builder("portal.example.com")
                .names(java.util.List.of("portal.example.com", "www.example.com"))
                .pausedUntil(Instant.parse("2026-11-26T10:00:00Z")).build();

        String json = StatusJson.of(status);

        assertThat(json).contains(",\"names\":\"portal.example.com,www.example.com\",\"pausedUntil\":\"2026-11-26T10:00:00Z\",")
                .endsWith(",\"renewalLockHolder\":null,\"renewalLockSince\":null,\"certificateAuthority\":null,\"skippedAuthorities\":null,\"certificateWarning\":null}");
    }

    @Test
    void writesWhoRenewsInAClusterAfterEveryEarlierField() {
        Instant since = Instant.parse("2026-11-26T10:00:00Z");
        CertificateStatus status = CertificateStatus.builder("portal.example.com")
                .renewalLockHolder(new dev.autocert4j.RenewalLock.Holder("node-2", since, since.plusSeconds(120))).build();

        assertThat(StatusJson.of(status)).endsWith(",\"pausedUntil\":null,\"renewalLockHolder\":\"node-2\","
                + "\"renewalLockSince\":\"2026-11-26T10:00:00Z\",\"certificateAuthority\":null,\"skippedAuthorities\":null,\"certificateWarning\":null}");
    }

    @Test
    void aCheckOutcomeAddsWhatWasDoneTheConditionAndWhyAfterTheStatusFields() {
        CertificateStatus status = CertificateStatus.builder("portal.example.com").serialNumber("1a2b")
                .lastError("The CA answered 500").build();
        dev.autocert4j.CheckResult.Outcome outcome = dev.autocert4j.CheckResult.Outcome.of(status,
                dev.autocert4j.CheckResult.Action.FAILED, dev.autocert4j.CheckResult.Condition.DUE,
                "The CA answered 500 \"busy\". The current certificate stays in place.");

        String json = StatusJson.of(outcome);

        assertThat(json).startsWith(StatusJson.of(status).substring(0, StatusJson.of(status).length() - 1) + ",");
        assertThat(json).endsWith(",\"outcome\":\"failed\",\"condition\":\"due\",\"reason\":\"The CA answered 500"
                + " \\\"busy\\\". The current certificate stays in place.\"}");
        assertThat(JsonFields.of(json)).containsEntry("serial", "1a2b").containsEntry("condition", "due")
                .containsEntry("reason", "The CA answered 500 \"busy\". The current certificate stays in place.");
    }

    @Test
    void aStatusIsWrittenFieldForFieldAsScriptsReadIt() {
        Instant since = Instant.parse("2026-11-26T10:00:00Z");
        CertificateStatus status = CertificateStatus.builder("portal.example.com")
                .lastRenewed(Instant.parse("2026-11-25T10:00:00Z")).notBefore(Instant.parse("2026-11-25T09:59:00Z"))
                .notAfter(Instant.parse("2027-02-23T09:59:00Z")).serialNumber("1a2b").issuer("CN=R3, O=Let's Encrypt")
                .nextCheck(Instant.parse("2026-11-26T10:00:00Z")).lastAttempt(Instant.parse("2026-11-25T10:00:00Z"))
                .lastError("The CA answered 500").installResult(InstallResult.LIVE)
                .names(java.util.List.of("portal.example.com", "www.example.com"))
                .pausedUntil(Instant.parse("2026-11-27T10:00:00Z"))
                .renewalLockHolder(new dev.autocert4j.RenewalLock.Holder("node-2", since, since.plusSeconds(120)))
                .certificateAuthority(java.net.URI.create("https://second.example/dir"))
                .skippedAuthorities("First CA was skipped: Could not reach First CA")
                .certificateWarning("None of the 2 chain(s) verifies").build();

        assertThat(StatusJson.of(status)).isEqualTo("{\"domain\":\"portal.example.com\","
                + "\"lastRenewed\":\"2026-11-25T10:00:00Z\",\"notBefore\":\"2026-11-25T09:59:00Z\","
                + "\"notAfter\":\"2027-02-23T09:59:00Z\",\"serial\":\"1a2b\",\"issuer\":\"CN=R3, O=Let's Encrypt\","
                + "\"nextCheck\":\"2026-11-26T10:00:00Z\",\"lastAttempt\":\"2026-11-25T10:00:00Z\","
                + "\"lastError\":\"The CA answered 500\",\"installResult\":\"LIVE\","
                + "\"names\":\"portal.example.com,www.example.com\",\"pausedUntil\":\"2026-11-27T10:00:00Z\","
                + "\"renewalLockHolder\":\"node-2\",\"renewalLockSince\":\"2026-11-26T10:00:00Z\","
                + "\"certificateAuthority\":\"https://second.example/dir\","
                + "\"skippedAuthorities\":\"First CA was skipped: Could not reach First CA\","
                + "\"certificateWarning\":\"None of the 2 chain(s) verifies\"}");
    }

    @Test
    void aStatusWithNothingKnownWritesEveryFieldAsNull() {
        assertThat(StatusJson.of(CertificateStatus.none("portal.example.com"))).isEqualTo("{\"domain\":\"portal.example.com\","
                + "\"lastRenewed\":null,\"notBefore\":null,\"notAfter\":null,\"serial\":null,\"issuer\":null,"
                + "\"nextCheck\":null,\"lastAttempt\":null,\"lastError\":null,\"installResult\":null,"
                + "\"names\":\"portal.example.com\",\"pausedUntil\":null,\"renewalLockHolder\":null,"
                + "\"renewalLockSince\":null,\"certificateAuthority\":null,\"skippedAuthorities\":null,\"certificateWarning\":null}");
    }

    @Test
    void aCheckOutcomeIsWrittenFieldForField() {
        CertificateStatus status = CertificateStatus.builder("portal.example.com").serialNumber("1a2b").build();
        dev.autocert4j.CheckResult.Outcome outcome = dev.autocert4j.CheckResult.Outcome.of(status,
                dev.autocert4j.CheckResult.Action.RENEWED, dev.autocert4j.CheckResult.Condition.VALID, "renewed");

        assertThat(StatusJson.of(outcome)).isEqualTo("{\"domain\":\"portal.example.com\",\"lastRenewed\":null,"
                + "\"notBefore\":null,\"notAfter\":null,\"serial\":\"1a2b\",\"issuer\":null,\"nextCheck\":null,"
                + "\"lastAttempt\":null,\"lastError\":null,\"installResult\":null,\"names\":\"portal.example.com\","
                + "\"pausedUntil\":null,\"renewalLockHolder\":null,\"renewalLockSince\":null,\"certificateAuthority\":null,\"skippedAuthorities\":null,\"certificateWarning\":null,\"outcome\":\"renewed\","
                + "\"condition\":\"valid\",\"reason\":\"renewed\"}");
    }

    @Test
    void theOneShotAccountAndUnmanageLinesAreWrittenAsScriptsReadThem() {
        assertThat(StatusJson.keyRolledOver(java.net.URI.create("https://ca.example.com/acct/7")))
                .isEqualTo("{\"account\":\"https://ca.example.com/acct/7\",\"keyRolledOver\":true}");
        assertThat(StatusJson.unmanaged("portal.example.com"))
                .isEqualTo("{\"domain\":\"portal.example.com\",\"managed\":false}");
    }

    @Test
    void readingBackTakesOnlyOneJsonObjectAndKeepsEveryEscapeItsWriterMade() throws Exception {
        String tricky = "quote \" backslash \\ \u0000 \b\f \u001f \u2028 </script> \uD83D\uDD12 {\"x\":1}";
        CertificateStatus status = CertificateStatus.builder("portal.example.com").lastError(tricky).build();

        assertThat(StatusJson.read(StatusJson.of(status))).containsEntry("lastError", tricky)
                .containsEntry("nextCheck", null).containsEntry("names", "portal.example.com");
        for (String notAnObject : new String[]{"", "[]", "\"text\"", "{\"domain\":", "{\"a\":\"b\"} trailing", "null",
                "{\"a\":\"b\"}{\"a\":\"c\"}", "{\"a\":{\"b\":\"c\"}}", "{\"a\":[\"b\"]}",
                "{\"lastError\":null,\"lastError\":\"planted\"}"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> StatusJson.read(notAnObject)).as(notAnObject)
                    .isInstanceOf(java.io.IOException.class);
        }
    }
}
