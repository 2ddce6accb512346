package dev.autocert4j.dns.providers;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A joohoi acme-dns server's HTTP API as its README and handlers describe it: {@code POST /register}
 * answers 201 with a new account; {@code POST /update} with {@code X-Api-User} and {@code X-Api-Key}
 * sets a value of 43 base64url characters on the account's own subdomain, keeping the last two;
 * errors are {@code {"error": ...}} ({@code forbidden} for wrong credentials, {@code bad_subdomain}).
 */
final class AcmeDnsStub extends StatefulApiStub {

    static final String DOMAIN = "auth.example.org";

    private record Account(String username, String password, String subdomain, Deque<String> values) {
    }

    private final Map<String, Account> byUser = new LinkedHashMap<>();
    private int registrations;
    private Map<String, Object> nextRegistration;

    synchronized int registrations() {
        return registrations;
    }

    /** @return the values acme-dns answers at a fulldomain */
    synchronized Set<String> txtValues(String fullDomain) {
        for (Account account : byUser.values()) {
            if ((account.subdomain() + "." + DOMAIN).equals(fullDomain)) {
                return new TreeSet<>(account.values());
            }
        }
        return Set.of();
    }

    /** Makes the next registration answer this instead of a real account. */
    synchronized void answerNextRegistrationWith(Map<String, Object> json) {
        nextRegistration = json;
    }

    @Override
    protected Reply handle(Request request) {
        if (request.method().equals("POST") && request.path().equals("/register")) {
            registrations++;
            if (nextRegistration != null) {
                Map<String, Object> forged = nextRegistration;
                nextRegistration = null;
                return reply(201, forged);
            }
            Account account = new Account(UUID.randomUUID().toString(), UUID.randomUUID().toString().replace("-", "")
                    + "Ab1_", UUID.randomUUID().toString(), new ArrayDeque<>());
            byUser.put(account.username(), account);
            return reply(201, Map.of("username", account.username(), "password", account.password(),
                    "fulldomain", account.subdomain() + "." + DOMAIN, "subdomain", account.subdomain(),
                    "allowfrom", request.body().isEmpty() ? List.of() : request.json().getOrDefault("allowfrom", List.of())));
        }
        if (request.method().equals("POST") && request.path().equals("/update")) {
            Account account = byUser.get(request.header("X-Api-User"));
            if (account == null || !account.password().equals(request.header("X-Api-Key"))) {
                return reply(401, Map.of("error", "forbidden"));
            }
            Map<String, Object> body = request.json();
            if (!account.subdomain().equals(body.get("subdomain"))) {
                return reply(401, Map.of("error", "forbidden"));
            }
            if (!(body.get("txt") instanceof String txt) || !txt.matches("[A-Za-z0-9_-]{43}")) {
                return reply(400, Map.of("error", "bad_subdomain"));
            }
            account.values().addLast(txt);
            while (account.values().size() > 2) {
                account.values().removeFirst();
            }
            return reply(200, Map.of("txt", txt));
        }
        return reply(404, Map.of("error", "not_found"));
    }
}
