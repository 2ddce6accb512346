package dev.autocert4j.dns.providers;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.dns.internal.Json;
import dev.autocert4j.dns.internal.JsonException;
import dev.autocert4j.spi.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The acme-dns accounts file: a JSON object from each domain to the account acme-dns registered for
 * it, {@code {"portal.example.com": {"server_url": ..., "username": ..., "password": ..., "subdomain":
 * ..., "fulldomain": ...}}}. It holds passwords, so it is read only if no one but its owner may read
 * or change it, and written 0600 from the first instant, atomically.
 */
final class AcmeDnsAccounts {

    /** One account; its password never shows in {@link #toString()}. */
    record Account(String serverUrl, String username, String password, String subdomain, String fullDomain) {
        Account {
            Objects.requireNonNull(serverUrl, "serverUrl");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(subdomain, "subdomain");
            Objects.requireNonNull(fullDomain, "fullDomain");
        }

        @Override
        public String toString() {
            return "Account[" + fullDomain + " at " + serverUrl + "]";
        }
    }

    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern CREDENTIAL = Pattern.compile("[\\x21-\\x7e]{1,256}");
    private static final String WHAT = "acme-dns accounts file";

    private final Path file;

    AcmeDnsAccounts(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    Path file() {
        return file;
    }

    /** @return the accounts by domain; none if the file does not exist yet */
    Map<String, Account> read() {
        if (!Files.exists(file)) {
            return new LinkedHashMap<>();
        }
        Map<String, Account> accounts = new LinkedHashMap<>();
        try {
            Map<String, Object> json = Json.asObject(Json.parse(OwnerOnlyFiles.readSecret(file, WHAT)), "the file");
            for (Map.Entry<String, Object> entry : json.entrySet()) {
                String domain = RecordInput.dnsName(entry.getKey(), "domain");
                accounts.put(domain, account(Json.asObject(entry.getValue(), "the entry of " + domain)));
            }
        } catch (IOException e) {
            throw new AutoCertException("The " + WHAT + " cannot be read: " + e.getMessage(), e);
        } catch (JsonException | IllegalArgumentException e) {
            throw new AutoCertException("The " + WHAT + " " + file + " is not what this provider writes: "
                    + e.getMessage(), e);
        }
        return accounts;
    }

    /** Writes all accounts, replacing the file atomically. */
    void write(Map<String, Account> accounts) {
        Map<String, Object> json = new LinkedHashMap<>();
        accounts.forEach((domain, account) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("server_url", account.serverUrl());
            entry.put("username", account.username());
            entry.put("password", account.password());
            entry.put("subdomain", account.subdomain());
            entry.put("fulldomain", account.fullDomain());
            json.put(domain, entry);
        });
        try {
            OwnerOnlyFiles.replace(file, (Json.write(json) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AutoCertException("The " + WHAT + " " + file + " cannot be written: " + e.getMessage(), e);
        }
    }

    /**
     * Checks an account, whether read from the file or answered by a server: each part is used in a
     * header, a DNS name or a message, so nothing unexpected passes.
     *
     * @throws IllegalArgumentException naming the part that is wrong, never its value if it is a credential
     */
    static Account account(Map<String, Object> json) {
        String username = credential(json, "username");
        String password = credential(json, "password");
        String subdomain = Json.string(json, "subdomain");
        if (subdomain == null || !SUBDOMAIN.matcher(subdomain).matches()) {
            throw new IllegalArgumentException("its subdomain is not one DNS label");
        }
        String fullDomain;
        try {
            fullDomain = RecordInput.dnsName(Json.string(json, "fulldomain"), "fulldomain");
        } catch (AutoCertException e) {
            throw new IllegalArgumentException("its fulldomain is not a DNS name");
        }
        if (!fullDomain.startsWith(subdomain + ".")) {
            throw new IllegalArgumentException("its fulldomain " + fullDomain + " does not start with its subdomain");
        }
        String serverUrl = Optional.ofNullable(Json.string(json, "server_url")).orElse("");
        return new Account(serverUrl, username, password, subdomain, fullDomain);
    }

    private static String credential(Map<String, Object> json, String key) {
        String value = Json.string(json, key);
        if (value == null || !CREDENTIAL.matcher(value).matches()) {
            throw new IllegalArgumentException("its " + key + " is missing or not printable text without spaces");
        }
        return value;
    }
}
