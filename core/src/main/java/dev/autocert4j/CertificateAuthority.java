package dev.autocert4j;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An ACME certificate authority: its directory URL, the name shown to admins, and optionally the
 * only certificates to trust for its TLS (for private CAs and test servers such as Pebble).
 * Immutable; the {@code with...} methods return a copy.
 */
public final class CertificateAuthority {

    /** The directory of Let's Encrypt's production CA. */
    public static final URI LETS_ENCRYPT = URI.create("acme://letsencrypt.org");
    /** The directory of Let's Encrypt's staging CA, for tests with untrusted certificates. */
    public static final URI LETS_ENCRYPT_STAGING = URI.create("acme://letsencrypt.org/staging");

    /** Let's Encrypt's limit on new orders: 300 per account per 3 hours. */
    public static final RateLimit LETS_ENCRYPT_NEW_ORDERS = RateLimit.of(300, Duration.ofHours(3));
    /** Let's Encrypt's limit on new accounts: 10 per IP address per 3 hours. */
    public static final RateLimit LETS_ENCRYPT_NEW_ACCOUNTS = RateLimit.of(10, Duration.ofHours(3));

    private final URI directory;
    private final String name;
    private final KeyStore trustStore;
    private final RateLimit newOrderLimit;
    private final RateLimit newAccountLimit;
    private final AccountRegistration account;
    private final FallbackPolicy fallbackPolicy;
    private final KeyStore chainTrust;
    private final CaaCheck caaCheck;

    private CertificateAuthority(URI directory, String name, KeyStore trustStore, RateLimit newOrderLimit,
                                 RateLimit newAccountLimit, AccountRegistration account) {
        this(directory, name, trustStore, newOrderLimit, newAccountLimit, account, FallbackPolicy.standard(), null,
                CaaCheck.standard());
    }

    private CertificateAuthority(URI directory, String name, KeyStore trustStore, RateLimit newOrderLimit,
                                 RateLimit newAccountLimit, AccountRegistration account, FallbackPolicy fallbackPolicy,
                                 KeyStore chainTrust, CaaCheck caaCheck) {
        this.directory = directory;
        this.name = name;
        this.trustStore = trustStore;
        this.newOrderLimit = newOrderLimit;
        this.newAccountLimit = newAccountLimit;
        this.account = account;
        this.fallbackPolicy = fallbackPolicy;
        this.chainTrust = chainTrust;
        this.caaCheck = caaCheck;
    }

    /** @return Let's Encrypt's production CA */
    public static CertificateAuthority letsEncrypt() {
        return at(LETS_ENCRYPT);
    }

    /** @return Let's Encrypt's staging CA */
    public static CertificateAuthority letsEncryptStaging() {
        return at(LETS_ENCRYPT_STAGING);
    }

    /**
     * A CA by its directory URL: {@code https://...}, or {@code acme://letsencrypt.org} and the
     * other {@code acme://} shortcuts the ACME client knows.
     *
     * @param directory the directory URL
     * @return the CA, named after Let's Encrypt or the directory's host
     * @throws InvalidInputException if the URL is neither {@code https} nor {@code acme}
     */
    public static CertificateAuthority at(URI directory) {
        Objects.requireNonNull(directory, "directory");
        String scheme = directory.getScheme() == null ? "" : directory.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("acme")) {
            throw new InvalidInputException("directory", directory.toString(),
                    "must be an https:// ACME directory URL or an acme:// shortcut such as acme://letsencrypt.org");
        }
        if (directory.getHost() == null) {
            throw new InvalidInputException("directory", directory.toString(), "has no host");
        }
        boolean letsEncrypt = isLetsEncryptHost(directory.getHost().toLowerCase(Locale.ROOT));
        return new CertificateAuthority(directory, defaultName(directory), null,
                letsEncrypt ? LETS_ENCRYPT_NEW_ORDERS : null, letsEncrypt ? LETS_ENCRYPT_NEW_ACCOUNTS : null, null);
    }

    private static String defaultName(URI directory) {
        String host = directory.getHost().toLowerCase(Locale.ROOT);
        if (isLetsEncryptHost(host)) {
            return "Let's Encrypt";
        }
        return directory.getPort() == -1 ? host : host + ":" + directory.getPort();
    }

    /**
     * Returns a copy with another display name, used in messages such as
     * {@code The <name> HTTP challenge failed with status 'invalid'}.
     *
     * @param name the name, such as {@code "Pebble"}
     * @return the renamed CA
     */
    public CertificateAuthority named(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new InvalidInputException("name", name, "must not be blank");
        }
        return new CertificateAuthority(directory, name.strip(), trustStore, newOrderLimit, newAccountLimit,
                account, fallbackPolicy, chainTrust, caaCheck);
    }

    /**
     * Returns a copy that trusts only the given certificates for the CA's TLS connections.
     *
     * @param trustStore a key store holding the trusted certificates
     * @return the CA with this trust
     */
    public CertificateAuthority trusting(KeyStore trustStore) {
        Objects.requireNonNull(trustStore, "trustStore");
        if (!directory.getScheme().equalsIgnoreCase("https")) {
            throw new InvalidInputException("directory", directory.toString(),
                    "is an acme:// shortcut; custom trust needs an https:// directory URL");
        }
        return new CertificateAuthority(directory, name, trustStore, newOrderLimit, newAccountLimit,
                account, fallbackPolicy, chainTrust, caaCheck);
    }

    /**
     * Returns a copy whose new orders autocert4j paces under a limit: when issuing many
     * certificates at once would exceed it, the orders beyond it fail with a
     * {@link RateLimitedException} whose retry time is when the limit allows the next one, and are
     * retried then. Let's Encrypt's CAs come with {@link #LETS_ENCRYPT_NEW_ORDERS}; others with none.
     *
     * @param limit the CA's limit on new orders per account
     * @return the CA with this limit
     * @since 0.2.0
     */
    public CertificateAuthority withNewOrderLimit(RateLimit limit) {
        Objects.requireNonNull(limit, "limit");
        return new CertificateAuthority(directory, name, trustStore, limit, newAccountLimit,
                account, fallbackPolicy, chainTrust, caaCheck);
    }

    /**
     * Returns a copy whose account registrations autocert4j paces under a limit (it registers one
     * account per CA, and again only when the CA has forgotten it). Let's Encrypt's CAs come with
     * {@link #LETS_ENCRYPT_NEW_ACCOUNTS}; others with none.
     *
     * @param limit the CA's limit on new accounts
     * @return the CA with this limit
     * @since 0.2.0
     */
    public CertificateAuthority withNewAccountLimit(RateLimit limit) {
        Objects.requireNonNull(limit, "limit");
        return new CertificateAuthority(directory, name, trustStore, newOrderLimit, limit,
                account, fallbackPolicy, chainTrust, caaCheck);
    }

    /**
     * Returns a copy without pacing of its own: only the CA's answers limit the requests.
     *
     * @return the CA without limits
     * @since 0.2.0
     */
    public CertificateAuthority withoutRateLimits() {
        return new CertificateAuthority(directory, name, trustStore, null, null, account, fallbackPolicy, chainTrust,
                caaCheck);
    }

    /**
     * Returns a copy with the ACME account to hold at this CA: its contacts, the Terms of Service
     * accepted at it, and its own external account binding (ZeroSSL and Google Trust Services need
     * one per account). It wins over {@code AutoCert.Builder.account(..)} for this CA, which is how
     * each CA of {@code AutoCert.Builder.certificateAuthorities(..)} gets the account it needs; the
     * account is registered with the first order sent to the CA and stored under its directory.
     *
     * @param account the account at this CA
     * @return the CA with this account
     * @since 0.2.0
     */
    public CertificateAuthority withAccount(AccountRegistration account) {
        Objects.requireNonNull(account, "account");
        return new CertificateAuthority(directory, name, trustStore, newOrderLimit, newAccountLimit,
                account, fallbackPolicy, chainTrust, caaCheck);
    }

    /**
     * Returns a copy with the rule that decides, when an order at this CA fails, whether the next CA
     * of {@code AutoCert.Builder.certificateAuthorities(..)} is tried in the same attempt; default
     * {@link FallbackPolicy#standard()}. The last CA's failure is the attempt's whatever it says.
     *
     * @param policy the rule, such as {@link FallbackPolicy#never()}
     * @return the CA with this rule
     * @since 0.2.0
     */
    public CertificateAuthority withFallbackPolicy(FallbackPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return new CertificateAuthority(directory, name, trustStore, newOrderLimit, newAccountLimit,
                account, policy, chainTrust, caaCheck);
    }

    /**
     * @return whether a failed order here moves on to the next CA
     * @since 0.2.0
     */
    public FallbackPolicy fallbackPolicy() {
        return fallbackPolicy;
    }

    /**
     * Returns a copy that checks the chains this CA issues against these certificates, the ones the
     * portal's clients trust, instead of the JVM's trust store: of the CA's chain and its
     * alternates, one that verifies is served (the {@code preferredChain} where it does, else the
     * shortest), and the status warns where none does.
     *
     * @param clientTrust a key store holding the roots clients trust
     * @return the CA checking chains against it
     * @since 0.2.0
     */
    public CertificateAuthority verifyingChainsWith(KeyStore clientTrust) {
        Objects.requireNonNull(clientTrust, "clientTrust");
        return new CertificateAuthority(directory, name, trustStore, newOrderLimit, newAccountLimit, account,
                fallbackPolicy, clientTrust, caaCheck);
    }

    /**
     * @return the roots the issued chains are checked against, if set; otherwise the JVM's trust store
     * @since 0.2.0
     */
    public Optional<KeyStore> chainTrust() {
        return Optional.ofNullable(chainTrust);
    }

    /**
     * Returns a copy whose orders are preceded by this CAA check (on by default, through the
     * system's resolvers): a name whose CAA records do not let this CA issue, for this account and
     * the challenge used, fails before any order is sent, naming the record and where it was found.
     *
     * @param check the check, such as {@code CaaCheck.standard().withResolvers(..)} or {@link CaaCheck#off()}
     * @return the CA checked this way
     * @since 0.2.0
     */
    public CertificateAuthority withCaaCheck(CaaCheck check) {
        Objects.requireNonNull(check, "check");
        return new CertificateAuthority(directory, name, trustStore, newOrderLimit, newAccountLimit, account,
                fallbackPolicy, chainTrust, check);
    }

    /**
     * @return the CAA check made before each order at this CA
     * @since 0.2.0
     */
    public CaaCheck caaCheck() {
        return caaCheck;
    }

    /**
     * @return the account set for this CA with {@link #withAccount}, if any
     * @since 0.2.0
     */
    public Optional<AccountRegistration> account() {
        return Optional.ofNullable(account);
    }

    /**
     * @return the limit autocert4j keeps new orders under, if any
     * @since 0.2.0
     */
    public Optional<RateLimit> newOrderLimit() {
        return Optional.ofNullable(newOrderLimit);
    }

    /**
     * @return the limit autocert4j keeps account registrations under, if any
     * @since 0.2.0
     */
    public Optional<RateLimit> newAccountLimit() {
        return Optional.ofNullable(newAccountLimit);
    }

    /**
     * Returns a copy that trusts only the certificates in a PEM file for the CA's TLS connections.
     * The file is read now.
     *
     * @param pemFile a file with one or more PEM certificates
     * @return the CA with this trust
     * @throws InvalidInputException if the file cannot be read or holds no certificate
     */
    public CertificateAuthority trusting(Path pemFile) {
        Objects.requireNonNull(pemFile, "pemFile");
        return trusting(readTrustStore(pemFile));
    }

    private static KeyStore readTrustStore(Path pemFile) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidInputException("trust file", pemFile.toString(), "cannot be read as PEM certificates: " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new InvalidInputException("trust file", pemFile.toString(), "holds no certificate");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("trusted-" + i++, certificate);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot create an in-memory key store", e);
        }
    }

    /**
     * @return whether this is Let's Encrypt (production or staging), whose rules autocert4j checks
     *         before ordering (public IP addresses only, say)
     * @since 0.2.0
     */
    public boolean isLetsEncrypt() {
        return isLetsEncryptHost(directory.getHost().toLowerCase(Locale.ROOT));
    }

    private static boolean isLetsEncryptHost(String host) {
        return host.equals("letsencrypt.org") || host.endsWith(".letsencrypt.org");
    }

    /** @return the directory URL */
    public URI directory() {
        return directory;
    }

    /** @return the name shown to admins */
    public String name() {
        return name;
    }

    /** @return the only certificates trusted for the CA's TLS, if set; otherwise the JVM's default trust applies */
    public Optional<KeyStore> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    @Override
    public String toString() {
        return name + " (" + directory + ")";
    }
}
