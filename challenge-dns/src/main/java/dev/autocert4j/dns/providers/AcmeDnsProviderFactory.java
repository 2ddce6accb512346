package dev.autocert4j.dns.providers;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.OwnerOnlyFiles;
import dev.autocert4j.spi.PluginSettings;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The DNS provider for a joohoi acme-dns server, by the name {@code acme-dns}: a small DNS server
 * that holds only ACME challenge values, so that this host never holds a credential for the real
 * zone. The first time a domain is validated, the provider registers an account for it, saves it in
 * the accounts file and stops with an error naming the record to create once:
 * {@code _acme-challenge.<domain>. CNAME <fulldomain>.}; from then on challenge-dns follows that
 * CNAME and the provider sets the value with the account's credentials.
 *
 * <p>What acme-dns cannot do: it keeps the last two values of an account and deletes none, so
 * removing a value sends nothing (the value stays until two newer ones replace it, which is harmless:
 * it is useless once its challenge is done); a third value at one name pushes out the first, so no
 * more than two challenges of one domain (an apex and its wildcard) can be pending at once; and it
 * takes only ACME values (43 characters of base64url). It does not pass the whole provider contract
 * for that reason.
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code api-url} (required): the acme-dns server's API, such as {@code https://auth.example.org};
 *       https, or http only to this machine.</li>
 *   <li>{@code accounts-file} (required): the JSON file the accounts are kept in; created 0600 (its
 *       folder 0700) if missing; refused if another user may read or change it, or write to its folder.</li>
 *   <li>{@code allow-from}: comma-separated networks in CIDR notation sent when an account is registered,
 *       from which acme-dns then takes updates for it (default: none, any address).</li>
 * </ul>
 *
 * @since 0.2.0
 */
public final class AcmeDnsProviderFactory implements DnsProviderFactory {

    /** The name it is chosen by. */
    public static final String NAME = "acme-dns";
    private static final Pattern CIDR = Pattern.compile("[0-9a-fA-F.:]{2,45}/[0-9]{1,3}");

    /** For {@link java.util.ServiceLoader}. */
    public AcmeDnsProviderFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settings() {
        return Set.of("api-url", "accounts-file", "allow-from");
    }

    @Override
    public DnsProvider create(PluginSettings settings) {
        settings.requireOnly(settings());
        URI apiUrl = RecordInput.apiUrl("api-url", settings.required("api-url"));
        Path file = settings.path("accounts-file").orElseThrow(() -> new InvalidInputException("accounts-file", null,
                "is required by the " + NAME + " plugin"));
        AcmeDnsAccounts accounts = new AcmeDnsAccounts(file.toAbsolutePath());
        requirePrivate(accounts);
        return new AcmeDnsProvider(apiUrl, accounts, allowFrom(settings.optional("allow-from").orElse("")),
                duration -> Thread.sleep(duration.toMillis()));
    }

    /** Refuses a folder others may write to and reads the file once, so a shared file fails before any request. */
    private static void requirePrivate(AcmeDnsAccounts accounts) {
        Path folder = accounts.file().getParent();
        try {
            OwnerOnlyFiles.requirePrivateFolder(folder);
        } catch (IOException e) {
            throw new InvalidInputException("accounts-file", accounts.file().toString(), "is in a folder that is not"
                    + " private: " + e.getMessage());
        }
        try {
            accounts.read();
        } catch (AutoCertException e) {
            throw new InvalidInputException("accounts-file", accounts.file().toString(), "cannot be used: " + e.getMessage());
        }
    }

    private static List<String> allowFrom(String text) {
        List<String> networks = new ArrayList<>();
        for (String network : text.split(",")) {
            if (network.isBlank()) {
                continue;
            }
            if (!CIDR.matcher(network.strip()).matches()) {
                throw new InvalidInputException("allow-from", text, "must be networks in CIDR notation, such as"
                        + " 192.0.2.0/24,2001:db8::/32");
            }
            networks.add(network.strip());
        }
        return networks;
    }
}
