package dev.autocert4j.admin;

import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.RegisteredAccount;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON API's {@code GET state}: bindings, CA, account, every certificate, the running action and the CSRF token. */
final class StateJson {

    private StateJson() {
    }

    static String of(AutoCert autoCert, Views.Terms terms, Jobs.Job job, String csrf, String user, Clock clock) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("apiVersion", 1);
        state.put("user", user);
        state.put("csrfToken", csrf);
        state.put("bindings", bindings(autoCert.bindings()));
        Map<String, Object> ca = new LinkedHashMap<>();
        ca.put("name", autoCert.certificateAuthority().name());
        ca.put("directory", autoCert.certificateAuthority().directory());
        ca.put("termsOfService", terms.link());
        state.put("certificateAuthority", ca);
        state.put("account", account(autoCert));
        List<Object> certificates = new ArrayList<>();
        for (String domain : autoCert.managedDomains()) {
            certificates.add(certificate(autoCert.status(domain), clock));
        }
        state.put("certificates", certificates);
        state.put("job", job(job));
        return Json.write(state);
    }

    static Map<String, Object> job(Jobs.Job job) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("running", job.running());
        fields.put("action", job.action());
        fields.put("stage", job.stage());
        fields.put("error", job.error());
        fields.put("httpsUrl", job.httpsUrl());
        return fields;
    }

    private static List<Object> bindings(List<Binding> bindings) {
        List<Object> list = new ArrayList<>();
        for (Binding binding : bindings) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("scheme", binding.scheme());
            fields.put("host", binding.host());
            fields.put("port", binding.port());
            fields.put("uri", binding.uri());
            list.add(fields);
        }
        return list;
    }

    private static Map<String, Object> account(AutoCert autoCert) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Optional<RegisteredAccount> account;
        try {
            account = autoCert.account();
        } catch (AutoCertException e) {
            fields.put("error", e.getMessage());
            return fields;
        }
        fields.put("registered", account.isPresent());
        fields.put("location", account.map(RegisteredAccount::location).orElse(null));
        fields.put("contacts", account.map(RegisteredAccount::contacts).orElse(List.of()));
        fields.put("termsOfServiceAccepted", account.flatMap(RegisteredAccount::acceptedTermsOfService).orElse(null));
        return fields;
    }

    private static Map<String, Object> certificate(CertificateStatus status, Clock clock) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("domain", status.domain());
        fields.put("names", status.names());
        fields.put("issuer", status.issuer());
        fields.put("serial", status.serialNumber());
        fields.put("lastRenewed", status.lastRenewed());
        fields.put("notAfter", status.notAfter());
        fields.put("daysLeft", status.notAfter() == null ? null : Duration.between(clock.instant(), status.notAfter()).toDays());
        fields.put("nextCheck", status.nextCheck());
        fields.put("lastError", status.lastError());
        fields.put("pausedUntil", status.pausedUntil().orElse(null));
        fields.put("renewalLockHolder", status.renewalLockHolder().map(holder -> holder.owner()).orElse(null));
        return fields;
    }
}
