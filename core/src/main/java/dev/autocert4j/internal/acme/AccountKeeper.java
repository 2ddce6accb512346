package dev.autocert4j.internal.acme;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.KeyType;
import dev.autocert4j.RegisteredAccount;
import dev.autocert4j.TermsOfServiceChangedException;
import dev.autocert4j.internal.Issuer.Registration;
import dev.autocert4j.spi.NamedThreads;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Metadata;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URL;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import static dev.autocert4j.internal.acme.AcmeUrls.toUri;
import static dev.autocert4j.internal.acme.AcmeUrls.toUrl;

/**
 * The one ACME account at a CA: read from the store once, registered when there is none (and again
 * when the CA forgot it), its contact and key changed. Registrations and changes happen under one
 * lock, so that concurrent orders register once; new accounts are paced under the CA's limits.
 */
final class AccountKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(AccountKeeper.class);

    private final CertificateAuthority ca;
    private final CertificateStore store;
    private final Pacer newAccounts;
    /** The account the host set on the builder, or {@code null}: it wins over what an order asks to register. */
    private final Registration configured;
    /** Whether the stored account's contacts were compared with the configured ones in this run. */
    private volatile boolean configuredContactsChecked;
    /** Held while the account is registered or changed, so that it happens once. */
    private final Object accountLock = new Object();
    /** The registered account once read or registered: checks of many certificates would otherwise decrypt it each time. */
    private volatile AcmeAccount registeredAccount;
    /** The stored account being read on another thread for the first conversation; taken by one reader. */
    private final AtomicReference<CompletableFuture<Optional<AcmeAccount>>> accountReadAhead = new AtomicReference<>();

    AccountKeeper(CertificateAuthority ca, CertificateStore store, Clock clock, Registration configured) {
        this.ca = ca;
        this.store = store;
        this.configured = configured;
        this.newAccounts = new Pacer(ca.newAccountLimit().orElse(null), clock);
    }

    /**
     * Before the account is known, reads it on another thread while this one fetches the CA's
     * directory: in a cold JVM each takes about a quarter of a second (the account key's derivation,
     * the first TLS handshake), and a one-shot command then waits for the longer, not for both.
     */
    void fetchDirectoryWhileReadingTheAccount(Session session) throws AcmeException {
        if (registeredAccount == null && accountReadAhead.get() == null) {
            CompletableFuture<Optional<AcmeAccount>> read = new CompletableFuture<>();
            if (accountReadAhead.compareAndSet(null, read)) {
                NamedThreads.start("autocert4j-account-reader", () -> {
                    try {
                        read.complete(store.loadAccount(ca.directory()));
                    } catch (RuntimeException | Error e) {
                        read.completeExceptionally(e);
                    }
                });
            }
        }
        session.getMetadata();
    }

    /** The stored account: read ahead by {@link #fetchDirectoryWhileReadingTheAccount}, or now. */
    private Optional<AcmeAccount> readStoredAccount() {
        CompletableFuture<Optional<AcmeAccount>> ahead = accountReadAhead.getAndSet(null);
        if (ahead == null) {
            return store.loadAccount(ca.directory());
        }
        try {
            return ahead.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause; // the store's own exception, as if read on this thread
            }
            throw e;
        }
    }

    /** The registered account, read from the store once (no network call); empty if none is registered. */
    Optional<AcmeAccount> registered() {
        AcmeAccount account = registeredAccount;
        if (account != null) {
            return Optional.of(account);
        }
        Optional<AcmeAccount> stored = readStoredAccount().filter(it -> it.location() != null);
        stored.ifPresent(it -> registeredAccount = it);
        return stored;
    }

    /** The login of the registered account on a session, if there is one; the account is read from the store once. */
    Optional<Login> storedLogin(Session session) {
        AcmeAccount account = registeredAccount;
        if (account == null) {
            Optional<AcmeAccount> stored = readStoredAccount();
            if (stored.isEmpty() || stored.get().location() == null) {
                return Optional.empty();
            }
            account = stored.get();
            registeredAccount = account;
        }
        return Optional.of(session.login(toUrl(account.location()), account.keyPair()));
    }

    /**
     * The login of the stored account, or of one registered now; with no registration given, there
     * must be one stored. A stored account whose contacts are not those set on the builder gets them,
     * once per run.
     */
    Login login(Session session, Registration registration) throws AcmeException {
        Optional<Login> existing = storedLogin(session);
        if (existing.isPresent()) {
            if (configured != null && !configuredContactsChecked) {
                giveTheConfiguredContacts(existing.get());
            }
            return existing.get();
        }
        synchronized (accountLock) {
            existing = storedLogin(session); // registered by a concurrent order meanwhile
            return existing.isPresent() ? existing.get() : register(session, configured != null ? configured : registration);
        }
    }

    /**
     * Makes the contacts set on the builder the stored account's, at the CA and in the store, where
     * they differ (the host's configuration changed). The accepted terms stay as recorded: an
     * account's orders never wait for terms the CA does not ask to accept again.
     */
    private void giveTheConfiguredContacts(Login login) throws AcmeException {
        synchronized (accountLock) {
            AcmeAccount current = registeredAccount;
            if (!configuredContactsChecked && current != null && !current.contacts().equals(configured.emails())) {
                replaceContacts(login, new Doing("updating the account's contact"), configured.emails());
                AcmeAccount updated = current.withRegistration(configured.emails(),
                        current.acceptedTermsOfService().orElse(null));
                store.saveAccount(updated);
                registeredAccount = updated;
            }
            configuredContactsChecked = true;
        }
    }

    /**
     * The CA forgot the account (a reset test CA, or a deactivated account): register the same key
     * again, once, whichever of the concurrent orders that noticed comes first.
     */
    Login registerAgain(Session session, Login stale, Registration registration) throws AcmeException {
        synchronized (accountLock) {
            AcmeAccount current = registeredAccount;
            if (current != null && !current.location().equals(toUri(stale.getAccountLocation()))) {
                return session.login(toUrl(current.location()), current.keyPair()); // registered again meanwhile
            }
            LOG.warn("{} no longer knows the account {}; registering again with the same key", ca.name(),
                    stale.getAccountLocation());
            AcmeAccount forgotten = registeredAccount;
            registeredAccount = null;
            store.saveAccount(new AcmeAccount(ca.directory(), stale.getKeyPair(), null,
                    forgotten == null ? List.of() : forgotten.contacts(),
                    forgotten == null ? null : forgotten.acceptedTermsOfService().orElse(null)));
            return login(session, registration);
        }
    }

    private Login register(Session session, Registration registration) throws AcmeException {
        Optional<AcmeAccount> stored = store.loadAccount(ca.directory());
        Registration wanted = registration != null ? registration : registrationOf(stored);
        Metadata metadata = session.getMetadata();
        URI acceptedTerms = requireCurrentTerms(metadata, wanted);
        if (metadata.isExternalAccountRequired() && wanted.eabKeyId() == null) {
            throw new InvalidInputException("externalAccountBinding", null, "is missing: " + ca.name()
                    + " requires external account binding; give the key id and HMAC key your CA account provides");
        }
        KeyPair accountKey = stored.map(AcmeAccount::keyPair).orElseGet(() -> newAccountKey(wanted));
        AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey);
        wanted.emails().forEach(builder::addEmail);
        if (wanted.eabKeyId() != null) {
            builder.withKeyIdentifier(wanted.eabKeyId(), wanted.eabHmacKey());
        }
        newAccounts.take(ca.name(), "new accounts");
        Login registered = builder.createLogin(session);
        URI location = toUri(registered.getAccountLocation());
        AcmeAccount account = new AcmeAccount(ca.directory(), accountKey, location, wanted.emails(), acceptedTerms);
        store.saveAccount(account);
        LOG.info("Registered ACME account {} at {}", location, ca);
        registeredAccount = account;
        return registered;
    }

    /**
     * What to register the account with when none was given: what the stored account (forgotten by
     * the CA) was registered with; without one, the admin has to register first.
     */
    private Registration registrationOf(Optional<AcmeAccount> stored) {
        AcmeAccount account = stored.filter(it -> !it.contacts().isEmpty() || it.acceptedTermsOfService().isPresent())
                .orElseThrow(() -> new InvalidInputException("account", null, "is not registered at " + ca.name()
                        + ": call AutoCert.register(..) or give AutoCert.Builder.account(..) first"));
        return new Registration(account.contacts(), account.acceptedTermsOfService().orElse(null), false, null, null,
                KeyType.EC_P256);
    }

    /**
     * The link of the Terms of Service to record as accepted: the one the admin accepted, which must
     * be the one the CA links now; where consent was given without a link, the CA's current one.
     */
    private URI requireCurrentTerms(Metadata metadata, Registration registration) {
        URI current = metadata.getTermsOfService().orElse(null);
        URI accepted = registration.acceptedTermsOfService();
        if (registration.consentWithoutLink()) {
            return current;
        }
        if (current != null && !current.equals(accepted)) {
            throw new TermsOfServiceChangedException(ca.name() + " now links the Terms of Service " + current + ", not "
                    + (accepted == null ? "none as the admin was told" : accepted + " that the admin accepted")
                    + ": show the admin the current terms and register again with them", null, current, null, null);
        }
        return accepted;
    }

    /** Creates the account key and stores it before registering, so a crash never orphans an account. */
    private KeyPair newAccountKey(Registration registration) {
        KeyPair keyPair = registration.keyType().generate();
        store.saveAccount(new AcmeAccount(ca.directory(), keyPair, null));
        return keyPair;
    }

    /**
     * Registers the account, or gives the stored one these contacts at the CA; then stores the
     * contacts and the accepted Terms of Service with it.
     */
    RegisteredAccount registerOrUpdate(Session session, Doing doing, Registration registration) throws AcmeException {
        synchronized (accountLock) {
            fetchDirectoryWhileReadingTheAccount(session);
            Optional<Login> login = storedLogin(session);
            if (login.isEmpty()) {
                doing.set("registering the account");
                register(session, registration);
                return RegisteredAccount.of(registeredAccount);
            }
            URI acceptedTerms = requireCurrentTerms(session.getMetadata(), registration);
            replaceContacts(login.get(), doing, registration.emails());
            AcmeAccount updated = registeredAccount.withRegistration(registration.emails(), acceptedTerms);
            store.saveAccount(updated);
            registeredAccount = updated;
            return RegisteredAccount.of(updated);
        }
    }

    private void replaceContacts(Login login, Doing doing, List<String> emails) throws AcmeException {
        Account account = login.getAccount();
        List<URI> wanted = emails.stream().map(email -> URI.create("mailto:" + email)).toList();
        if (account.getContacts().equals(wanted)) {
            return;
        }
        doing.set("updating the account's contact");
        Account.EditableAccount edit = account.modify();
        edit.getContacts().clear();
        emails.forEach(edit::addEmail);
        edit.commit();
        LOG.info("The contact of ACME account {} at {} is now {}", login.getAccountLocation(), ca.name(),
                emails.isEmpty() ? "none" : String.join(", ", emails));
    }

    /** Gives the registered account this email as its only contact, at the CA and in the store; without an account, registration will. */
    void updateContact(Session session, Doing doing, String email) throws AcmeException {
        synchronized (accountLock) {
            fetchDirectoryWhileReadingTheAccount(session);
            Optional<Login> login = storedLogin(session);
            if (login.isEmpty()) {
                return; // registration will use this email
            }
            replaceContacts(login.get(), doing, List.of(email));
            AcmeAccount current = registeredAccount;
            if (!current.contacts().equals(List.of(email))) {
                AcmeAccount updated = current.withRegistration(List.of(email), current.acceptedTermsOfService().orElse(null));
                store.saveAccount(updated);
                registeredAccount = updated;
            }
        }
    }

    /** Gives the account a new key, stored before it is used; the CA gets the old one back if storing fails. */
    URI rolloverKey(Session session) throws AcmeException {
        synchronized (accountLock) {
            Login login = storedLogin(session).orElseThrow(() -> new AutoCertException("There is no ACME account at "
                    + ca + " yet; it is registered with the first enrollment, and its key can be rolled over after that"));
            KeyPair previous = login.getKeyPair();
            KeyPair next = KeyType.EC_P256.generate();
            URL location = login.getAccountLocation();
            AcmeAccount rolledOver = registeredAccount.withKeyPair(next);
            login.getAccount().changeKey(next);
            try {
                store.saveAccount(rolledOver);
            } catch (CertificateStoreException e) {
                putKeyBack(session, location, next, previous, e);
                throw e;
            }
            registeredAccount = rolledOver;
            LOG.info("Rolled over the key of ACME account {} at {}", location, ca.name());
            return toUri(location);
        }
    }

    /** The CA has the new key but the store could not take it: give the CA the stored key again. */
    private void putKeyBack(Session session, URL location, KeyPair current, KeyPair previous,
                            CertificateStoreException cause) {
        try {
            session.login(location, current).getAccount().changeKey(previous);
            LOG.warn("The new account key could not be stored, so the CA was given the previous key back");
        } catch (AcmeException | RuntimeException e) {
            cause.addSuppressed(e);
            registeredAccount = null;
            LOG.error("The account key was changed at {} but could not be stored, and changing it back failed: {}."
                    + " A new account will be registered at the next enrollment", ca.name(), e.getMessage());
        }
    }
}
