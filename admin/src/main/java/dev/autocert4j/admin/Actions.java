package dev.autocert4j.admin;

import dev.autocert4j.AccountRegistration;
import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.RevocationReason;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The admin's actions, from their form fields to work ready to run. Each is checked before it is
 * started, so bad input (no consent, an unknown binding, a port out of range) is refused before
 * any call to the CA.
 */
final class Actions {

    /** The actions, by the name routes and audit lines give them. */
    static final List<String> NAMES = List.of("enroll", "renew", "revoke", "unmanage", "rollover");

    private final AutoCert autoCert;
    private final Jobs jobs;

    Actions(AutoCert autoCert, Jobs jobs) {
        this.autoCert = autoCert;
        this.jobs = jobs;
    }

    /**
     * @return the checked work of the action
     * @throws InvalidInputException for bad input
     */
    Jobs.Work prepare(String action, Map<String, String> form) {
        return switch (action) {
            case "enroll" -> enroll(form);
            case "renew" -> renew(domain(form));
            case "revoke" -> revoke(domain(form), reason(form.getOrDefault("reason", "superseded")));
            case "unmanage" -> unmanage(domain(form), "on".equals(form.get("delete")) || "true".equals(form.get("delete")));
            case "rollover" -> () -> new Jobs.Outcome("The account " + autoCert.rolloverAccountKey() + " has a new key.", null);
            default -> throw new IllegalArgumentException("no action " + action);
        };
    }

    private Jobs.Work enroll(Map<String, String> form) {
        AccountRegistration account = account(form, acceptedTerms(form));
        Binding binding = binding(form.getOrDefault("binding", ""));
        EnrollmentRequest.Builder builder = EnrollmentRequest.builder().binding(binding);
        String port = form.getOrDefault("httpsPort", "").strip();
        if (!port.isEmpty()) {
            builder.httpsPort(parsePort(port));
        }
        List<String> extraNames = Arrays.stream(form.getOrDefault("extraNames", "").split("[,\\s]+"))
                .map(String::strip).filter(name -> !name.isEmpty()).toList();
        builder.extraNames(extraNames);
        String challenge = form.getOrDefault("challenge", "http-01");
        if (!challenge.equals("auto")) {
            EnrollmentRequest request = builder.challenge(ChallengeType.fromAcmeName(challenge)).build();
            return () -> register(account, request);
        }
        builder.build(); // checked now with the default challenge: bad input never waits for the preflight
        return () -> {
            List<String> names = new ArrayList<>(List.of(binding.host()));
            names.addAll(extraNames);
            jobs.stage("Checking which validation works for " + String.join(", ", names) + "…");
            ChallengeType chosen = autoCert.chooseChallenge(names);
            jobs.stage("Automatic validation chose " + chosen.acmeName() + ".");
            return register(account, builder.challenge(chosen).build());
        };
    }

    /**
     * The Terms of Service link the admin accepted: the one the Configure dialog showed (sent back in
     * its form), or for an API call that names none, the CA's current one. Empty text means the CA
     * published none. If the CA links other terms by the time of registering, registration fails
     * with the new link.
     */
    private URI acceptedTerms(Map<String, String> form) {
        String named = form.get("termsOfService");
        if (named == null) {
            return autoCert.termsOfService().orElse(null);
        }
        if (named.isBlank()) {
            return null;
        }
        try {
            return new URI(named.strip());
        } catch (URISyntaxException e) {
            throw new InvalidInputException("termsOfService", named, "is not a link: " + e.getReason());
        }
    }

    private Jobs.Outcome register(AccountRegistration account, EnrollmentRequest request) {
        jobs.stage("Registering the account at " + autoCert.certificateAuthority().name() + "…");
        autoCert.register(account);
        autoCert.enroll(request);
        return new Jobs.Outcome("Installed.", request.httpsBinding().uri().toString());
    }

    private Binding binding(String text) {
        Binding chosen = Binding.parse(text);
        if (!autoCert.bindings().contains(chosen)) { // before the account is registered, not only at enroll
            throw new InvalidInputException("binding", chosen.toString(),
                    "is not one of the bindings the server listens on: " + autoCert.bindings());
        }
        return chosen;
    }

    /**
     * The account the form sets up: the email, and the consent recorded as the Terms of Service link
     * the form showed (none if the CA publishes none; if it links some by the time of registering,
     * registration fails with the new link, shown on the reloaded form).
     */
    private static AccountRegistration account(Map<String, String> form, URI shownTerms) {
        String accepted = form.getOrDefault("tos", "");
        if (!accepted.equals("on") && !accepted.equals("true")) {
            throw new InvalidInputException("termsOfServiceAccepted", "false",
                    "must be true: the admin has to accept the CA's Terms of Service first");
        }
        AccountRegistration.Builder account = AccountRegistration.builder().email(form.getOrDefault("email", ""));
        return (shownTerms == null ? account.noTermsOfService() : account.termsOfServiceAccepted(shownTerms)).build();
    }

    private Jobs.Work renew(String domain) {
        return () -> {
            autoCert.renewNow(domain);
            return new Jobs.Outcome("Renewed " + domain + ".", null);
        };
    }

    private Jobs.Work revoke(String domain, RevocationReason reason) {
        return () -> {
            autoCert.revoke(domain, reason);
            return new Jobs.Outcome("Revoked the previous certificate of " + domain + "; a new one is in place.", null);
        };
    }

    private Jobs.Work unmanage(String domain, boolean delete) {
        return () -> {
            if (delete) {
                autoCert.unmanageAndDelete(domain);
            } else {
                autoCert.unmanage(domain);
            }
            return new Jobs.Outcome("Stopped managing " + domain + "." + (delete ? " Its certificate and key are deleted." : ""), null);
        };
    }

    private String domain(Map<String, String> form) {
        String domain = form.getOrDefault("domain", "").strip();
        if (!autoCert.managedDomains().contains(domain)) {
            throw new InvalidInputException("domain", domain, "is not a domain this server manages: " + autoCert.managedDomains());
        }
        return domain;
    }

    static RevocationReason reason(String text) {
        String name = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (RevocationReason reason : RevocationReason.values()) {
            if (reason.name().equals(name)) {
                return reason;
            }
        }
        throw new InvalidInputException("reason", text, "is not one of superseded, key-compromise, affiliation-changed,"
                + " cessation-of-operation, unspecified");
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1; // rejected by the builder with a message naming the field
        }
    }
}
