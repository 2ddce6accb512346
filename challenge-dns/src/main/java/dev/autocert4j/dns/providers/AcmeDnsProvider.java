package dev.autocert4j.dns.providers;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.dns.internal.DnsApi;
import dev.autocert4j.dns.internal.Json;
import dev.autocert4j.dns.internal.JsonException;
import dev.autocert4j.dns.providers.AcmeDnsAccounts.Account;
import dev.autocert4j.spi.DnsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * TXT records through a joohoi acme-dns server: one account per domain, registered once
 * ({@code POST /register}) and kept in the accounts file, then {@code POST /update} with
 * {@code X-Api-User} and {@code X-Api-Key}. The admin delegates {@code _acme-challenge.<domain>} to
 * the account's {@code fulldomain} with a CNAME; challenge-dns follows that CNAME and hands this
 * provider the fulldomain. Called with {@code _acme-challenge.<domain>} itself, there is no CNAME
 * yet: the account is registered if needed and the error says which CNAME to create.
 *
 * <p>acme-dns keeps the last two values of each account and has no way to delete one: removing a
 * value sends nothing, and the value stays until two newer values replace it.
 */
final class AcmeDnsProvider implements DnsProvider {

    private static final Logger LOG = LoggerFactory.getLogger(AcmeDnsProvider.class);
    private static final String NAME = AcmeDnsProviderFactory.NAME;
    private static final String CHALLENGE_LABEL = "_acme-challenge.";
    /** acme-dns takes only ACME DNS-01 values: 43 characters of base64url. */
    private static final Pattern ACME_VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final URI apiUrl;
    private final AcmeDnsAccounts accounts;
    private final List<String> allowFrom;
    private final DnsApi.Sleeper sleeper;

    AcmeDnsProvider(URI apiUrl, AcmeDnsAccounts accounts, List<String> allowFrom, DnsApi.Sleeper sleeper) {
        this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.allowFrom = List.copyOf(allowFrom);
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public synchronized void addTxtRecord(String zone, String name, String value) {
        String recordName = RecordInput.recordName(zone, name);
        String txt = acmeValue(value);
        Map<String, Account> known = accounts.read();
        Account target = byFullDomain(known, recordName);
        if (target != null) {
            update(target, txt);
            return;
        }
        String domain = delegatingDomain(recordName);
        Account account = known.get(domain);
        if (account == null) {
            account = register();
            known.put(domain, account);
            accounts.write(known);
        }
        throw new AutoCertException("acme-dns needs the DNS record '" + CHALLENGE_LABEL + domain + ". CNAME "
                + account.fullDomain() + ".' in the zone of " + domain + ", which is not there yet: create it, then"
                + " try again (the acme-dns account of " + domain + " at " + account.serverUrl() + " is kept in "
                + accounts.file() + ")");
    }

    /**
     * Checks the value and finds its account, but sends nothing: acme-dns cannot delete a value. It
     * keeps an account's last two values, so this one goes when two newer ones are set.
     */
    @Override
    public synchronized void removeTxtRecord(String zone, String name, String value) {
        String recordName = RecordInput.recordName(zone, name);
        acmeValue(value);
        Account target = byFullDomain(accounts.read(), recordName);
        LOG.debug("acme-dns cannot delete TXT values; the value at {} stays until two newer values replace it",
                target == null ? recordName : target.fullDomain());
    }

    private Account byFullDomain(Map<String, Account> known, String name) {
        for (Account account : known.values()) {
            if (account.fullDomain().equals(name)) {
                requireThisServer(account);
                return account;
            }
        }
        return null;
    }

    private void requireThisServer(Account account) {
        if (!account.serverUrl().equals(apiUrl.toString())) {
            throw new AutoCertException("The acme-dns account of " + account.fullDomain() + " in " + accounts.file()
                    + " belongs to " + account.serverUrl() + ", not to " + apiUrl + " (api-url): set api-url back, or"
                    + " remove the entry to register anew");
        }
    }

    private static String delegatingDomain(String recordName) {
        if (!recordName.startsWith(CHALLENGE_LABEL)) {
            throw new AutoCertException("acme-dns can write only at the fulldomain of an account it registered, and "
                    + recordName + " is none: point " + CHALLENGE_LABEL + "<domain> at it with a CNAME");
        }
        return recordName.substring(CHALLENGE_LABEL.length());
    }

    private static String acmeValue(String value) {
        RecordInput.txtValue(value);
        if (!ACME_VALUE.matcher(value).matches()) {
            throw new InvalidInputException("TXT value", value, "is not an ACME DNS-01 value (43 characters of base64url),"
                    + " the only kind acme-dns takes");
        }
        return value;
    }

    private Account register() {
        DnsApi api = builder().build();
        Object answer = api.send("POST", "/register", allowFrom.isEmpty() ? null : Map.of("allowfrom", allowFrom));
        try {
            Map<String, Object> json = new LinkedHashMap<>(Json.asObject(answer, "the registration"));
            json.put("server_url", apiUrl.toString());
            Account account = AcmeDnsAccounts.account(json);
            LOG.info("Registered the acme-dns account {} at {}", account.fullDomain(), apiUrl);
            return account;
        } catch (JsonException | IllegalArgumentException e) {
            throw new AutoCertException("The " + NAME + " server at " + apiUrl + " answered the registration with an"
                    + " account that cannot be used: " + e.getMessage(), e);
        }
    }

    private void update(Account account, String txt) {
        DnsApi api = builder().secretHeader("X-Api-User", account.username(), null)
                .secretHeader("X-Api-Key", account.password(), account.password())
                .build();
        Object answer = api.send("POST", "/update", Map.of("subdomain", account.subdomain(), "txt", txt));
        try {
            if (!txt.equals(Json.string(Json.asObject(answer, "the answer"), "txt"))) {
                throw new AutoCertException("The " + NAME + " server at " + apiUrl + " did not confirm the value it was"
                        + " given for " + account.fullDomain());
            }
        } catch (JsonException e) {
            throw new AutoCertException("The " + NAME + " server at " + apiUrl + " answered the update in an unexpected"
                    + " shape: " + e.getMessage(), e);
        }
    }

    private DnsApi.Builder builder() {
        return DnsApi.builder(NAME, apiUrl).sleeper(sleeper)
                .refusalHint("check the account's username and password in " + accounts.file()
                        + " and that this host's address is in its allowfrom list");
    }

    @Override
    public String toString() {
        return "AcmeDnsProvider[" + apiUrl + ", " + accounts.file() + "]";
    }
}
