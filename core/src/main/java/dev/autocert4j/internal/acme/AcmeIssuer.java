package dev.autocert4j.internal.acme;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.ChallengeFailedException;
import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.ChallengeSelfCheck;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.RenewalWindow;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.SelfCheckFailedException;
import dev.autocert4j.SelfCheckReport;
import dev.autocert4j.internal.InputChecks;
import dev.autocert4j.internal.Issuer;
import dev.autocert4j.internal.IssuedCertificateCheck;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Metadata;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.challenge.TokenChallenge;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeProtocolException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Obtains certificates from one ACME certificate authority: account, order, challenges,
 * finalization with a fresh key, download; and cares for the account (contact, key rollover,
 * revocation). One instance per CA; thread-safe. Orders for different names run at once, each on
 * a session of its own (acme4j signs one request at a time per session), all with the one account;
 * new orders and account registrations are paced under the CA's published limits.
 */
public final class AcmeIssuer implements Issuer {

    private static final Logger LOG = LoggerFactory.getLogger(AcmeIssuer.class);
    private static final KeyType ACCOUNT_KEY_TYPE = KeyType.EC_P256;
    private static final URI ALREADY_REPLACED = URI.create("urn:ietf:params:acme:error:alreadyReplaced");
    private static final URI ACCOUNT_DOES_NOT_EXIST = URI.create("urn:ietf:params:acme:error:accountDoesNotExist");
    /** The profile of Let's Encrypt's six-day certificates, the only ones it issues for IP addresses. */
    static final String SHORT_LIVED = "shortlived";

    /**
     * How the CA is talked to.
     *
     * @param preferredIssuer the issuer common name of the preferred chain, or {@code null} for the CA's default
     * @param networkTimeout  the timeout of each request to the CA
     * @param lifetime        the validity to ask for, or {@code null} for the CA's default
     * @param selfCheck       the check of the challenge URL before the CA is asked, or {@code null} for none
     */
    public record Options(String preferredIssuer, Duration networkTimeout, Duration lifetime, ChallengeSelfCheck selfCheck) {
    }

    private final CertificateAuthority ca;
    private final CertificateStore store;
    private final Clock clock;
    private final Poller poller;
    private final Options options;
    /** Sessions not in use; a conversation borrows one, so that concurrent ones never share a nonce. */
    private final Deque<Session> idleSessions = new ConcurrentLinkedDeque<>();
    /** Held while the account is registered or changed, so that it happens once. */
    private final Object accountLock = new Object();
    /** The registered account once read or registered: checks of many certificates would otherwise decrypt it each time. */
    private volatile AcmeAccount registeredAccount;
    /** The stored account being read on another thread for the first conversation; taken by one reader. */
    private final AtomicReference<CompletableFuture<Optional<AcmeAccount>>> accountReadAhead = new AtomicReference<>();
    private final Pacer newOrders;
    private final Pacer newAccounts;
    private TrustingAcmeProvider trustingProvider;

    /**
     * Creates an issuer.
     *
     * @param ca      the certificate authority
     * @param store   where the account lives
     * @param clock   the time source
     * @param poller  how to wait for the CA
     * @param options how the CA is talked to
     */
    public AcmeIssuer(CertificateAuthority ca, CertificateStore store, Clock clock, Poller poller, Options options) {
        this.ca = ca;
        this.store = store;
        this.clock = clock;
        this.poller = poller;
        this.options = options;
        this.newOrders = new Pacer(ca.newOrderLimit().orElse(null), clock);
        this.newAccounts = new Pacer(ca.newAccountLimit().orElse(null), clock);
    }

    /**
     * Reads the CA's Terms of Service link from its directory.
     *
     * @return the link, if the CA publishes one
     * @throws CertificateAuthorityException if the directory cannot be read
     */
    public Optional<URI> termsOfService() {
        // acme4j parses the link only when asked for it: ask inside the conversation, where its failures are translated
        return talk("reading the directory", (doing, session) -> session.getMetadata().getTermsOfService());
    }

    /**
     * Says whether the CA requires external account binding.
     *
     * @return {@code true} if new accounts need EAB credentials
     * @throws CertificateAuthorityException if the directory cannot be read
     */
    public boolean externalAccountRequired() {
        return talk("reading the directory", (doing, session) -> session.getMetadata().isExternalAccountRequired());
    }

    @Override
    public IssuedCertificate obtain(Order order, ChallengeResponder responder) {
        String domain = order.domain();
        return talk("registering the account", (doing, session) -> {
            fetchDirectoryWhileReadingTheAccount(session);
            Login login = login(session, order.registration());
            doing.set("ordering a certificate for " + String.join(", ", order.names()));
            LOG.info("Ordering a certificate for {} from {}", String.join(", ", order.names()), ca);
            org.shredzone.acme4j.Order acmeOrder;
            try {
                acmeOrder = createOrder(session, login, order);
            } catch (AcmeServerException e) {
                if (!ACCOUNT_DOES_NOT_EXIST.equals(e.getType())) {
                    throw e;
                }
                login = registerAgain(session, login, order.registration());
                acmeOrder = createOrder(session, login, order);
            }
            for (Authorization authorization : acmeOrder.getAuthorizations()) {
                authorize(authorization, order.challenge(), responder);
            }
            doing.set("finalizing the order for " + domain);
            IssuedCertificate issued = finalizeOrder(acmeOrder, order, login);
            LOG.info("Obtained a certificate for {}: serial {}, expires {}", String.join(", ", order.names()),
                    issued.metadata().serialNumber(), issued.metadata().notAfter());
            return issued;
        });
    }

    /** What is being done with the CA, for messages; updated as the conversation moves on. */
    private static final class Doing {
        private String what;

        Doing(String what) {
            this.what = what;
        }

        void set(String what) {
            this.what = what;
        }
    }

    /** A conversation with the CA, on a session no other runs on meanwhile, that may fail with any of acme4j's exceptions. */
    @FunctionalInterface
    private interface Conversation<T> {
        T run(Doing doing, Session session) throws AcmeException, InterruptedException;
    }

    /** Runs a conversation and turns acme4j's failures into the project's own exceptions. */
    private <T> T talk(String firstStep, Conversation<T> conversation) {
        Doing doing = new Doing(firstStep);
        Session session = borrowSession();
        try {
            return conversation.run(doing, session);
        } catch (AcmeException e) {
            throw AcmeFailures.translate(e, ca, doing.what);
        } catch (AcmeProtocolException e) {
            throw AcmeFailures.translate(e, ca, doing.what);
        } catch (AcmeLazyLoadingException e) {
            // a resource fetched on first use (an authorization, say) could not be fetched
            throw e.getCause() instanceof AcmeException cause ? AcmeFailures.translate(cause, ca, doing.what)
                    : new CertificateAuthorityException(ca.name() + " failed while " + doing.what + ": " + e.getMessage(),
                    null, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CertificateAuthorityException("Interrupted while " + doing.what, null, null, e);
        } finally {
            idleSessions.push(session);
        }
    }

    /**
     * The CA forgot the account (a reset test CA, or a deactivated account): register the same key
     * again, once, whichever of the concurrent orders that noticed comes first.
     */
    private Login registerAgain(Session session, Login stale, Registration registration) throws AcmeException {
        synchronized (accountLock) {
            AcmeAccount current = registeredAccount;
            if (current != null && !current.location().equals(toUri(stale.getAccountLocation()))) {
                return session.login(toUrl(current.location()), current.keyPair()); // registered again meanwhile
            }
            LOG.warn("{} no longer knows the account {}; registering again with the same key", ca.name(),
                    stale.getAccountLocation());
            registeredAccount = null;
            store.saveAccount(new AcmeAccount(ca.directory(), stale.getKeyPair(), null));
            return login(session, registration);
        }
    }

    private org.shredzone.acme4j.Order createOrder(Session session, Login login, Order order) throws AcmeException {
        boolean namesReplaced = order.replacing() != null && offersRenewalInfo(session);
        newOrders.take(ca.name(), "new orders");
        try {
            return orderBuilder(session, login, order, namesReplaced).create();
        } catch (AcmeServerException e) {
            if (!namesReplaced || !ALREADY_REPLACED.equals(e.getType())) {
                throw e;
            }
            LOG.info("{} says the certificate for {} was already replaced; ordering without 'replaces'", ca.name(),
                    order.domain());
            newOrders.take(ca.name(), "new orders");
            return orderBuilder(session, login, order, false).create();
        }
    }

    private OrderBuilder orderBuilder(Session session, Login login, Order order, boolean namesReplaced)
            throws AcmeException {
        OrderBuilder builder = login.newOrder().identifiers(identifiers(order.names()));
        if (options.lifetime() != null) {
            builder.notAfter(clock.instant().plus(options.lifetime()));
        }
        if (namesReplaced) {
            builder.replaces(order.replacing());
        }
        String profile = order.profile() != null ? order.profile() : profileForAddresses(session, order.names());
        if (profile != null) {
            if (session.getMetadata().isProfileAllowed(profile)) {
                builder.profile(profile);
            } else {
                LOG.warn("{} does not offer the profile '{}'; ordering with its default", ca.name(), profile);
            }
        }
        return builder;
    }

    private static List<Identifier> identifiers(List<String> names) {
        return names.stream().map(name -> InputChecks.isIpAddress(name) ? Identifier.ip(name) : Identifier.dns(name))
                .toList();
    }

    /**
     * Certificates for IP addresses need a short-lived profile where the CA offers one
     * (Let's Encrypt's {@value #SHORT_LIVED}); where it lists no profiles, none is asked for.
     */
    private String profileForAddresses(Session session, List<String> names) throws AcmeException {
        if (names.stream().noneMatch(InputChecks::isIpAddress)) {
            return null;
        }
        Metadata metadata = session.getMetadata();
        if (metadata.isProfileAllowed(SHORT_LIVED)) {
            LOG.info("Asking {} for the '{}' profile, which IP address certificates need", ca.name(), SHORT_LIVED);
            return SHORT_LIVED;
        }
        return null;
    }

    private static boolean offersRenewalInfo(Session session) throws AcmeException {
        return session.resourceUrlOptional(Resource.RENEWAL_INFO).isPresent();
    }

    @Override
    public Optional<RenewalAdvice> renewalAdvice(Supplier<X509Certificate> certificate) {
        Session session = borrowSession();
        try {
            if (!offersRenewalInfo(session)) {
                return Optional.empty();
            }
            Optional<Login> login = storedLogin(session);
            if (login.isEmpty()) {
                return Optional.empty();
            }
            RenewalInfo info = login.get().bindRenewalInfo(certificate.get());
            Optional<java.time.Instant> retryAfter = info.fetch();
            URI explanation = info.getExplanation().map(AcmeIssuer::toUri).orElse(null);
            RenewalWindow window = new RenewalWindow(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd(), explanation);
            return Optional.of(new RenewalAdvice(window, retryAfter.orElse(null)));
        } catch (AcmeException e) {
            throw AcmeFailures.translate(e, ca, "reading the renewal information");
        } catch (AcmeProtocolException | IllegalArgumentException e) {
            throw new CertificateAuthorityException(ca.name() + " sent renewal information that cannot be used: "
                    + e.getMessage(), null, null, e);
        } finally {
            idleSessions.push(session);
        }
    }

    @Override
    public void updateAccountEmail(String email) {
        synchronized (accountLock) {
            updateContact(email);
        }
    }

    private void updateContact(String email) {
        talk("reading the account", (doing, session) -> {
            fetchDirectoryWhileReadingTheAccount(session);
            Optional<Login> login = storedLogin(session);
            if (login.isEmpty()) {
                return null; // registration will use this email
            }
            Account account = login.get().getAccount();
            URI wanted = URI.create("mailto:" + email);
            if (account.getContacts().equals(List.of(wanted))) {
                return null;
            }
            doing.set("updating the account's email");
            Account.EditableAccount edit = account.modify();
            edit.getContacts().clear();
            edit.addEmail(email);
            edit.commit();
            LOG.info("The contact of ACME account {} at {} is now {}", login.get().getAccountLocation(), ca.name(), email);
            return null;
        });
    }

    @Override
    public URI rolloverAccountKey() {
        synchronized (accountLock) {
            return rollover();
        }
    }

    private URI rollover() {
        return talk("rolling over the account key", (doing, session) -> {
            Login login = storedLogin(session).orElseThrow(() -> new AutoCertException("There is no ACME account at "
                    + ca + " yet; it is registered with the first enrollment, and its key can be rolled over after that"));
            KeyPair previous = login.getKeyPair();
            KeyPair next = ACCOUNT_KEY_TYPE.generate();
            URL location = login.getAccountLocation();
            login.getAccount().changeKey(next);
            try {
                store.saveAccount(new AcmeAccount(ca.directory(), next, toUri(location)));
            } catch (CertificateStoreException e) {
                putKeyBack(session, location, next, previous, e);
                throw e;
            }
            registeredAccount = new AcmeAccount(ca.directory(), next, toUri(location));
            LOG.info("Rolled over the key of ACME account {} at {}", location, ca.name());
            return toUri(location);
        });
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

    @Override
    public void revoke(IssuedCertificate certificate, RevocationReason reason) {
        talk("revoking the certificate " + certificate.metadata().serialNumber(), (doing, session) -> {
            org.shredzone.acme4j.RevocationReason acmeReason = org.shredzone.acme4j.RevocationReason.valueOf(reason.name());
            if (reason == RevocationReason.KEY_COMPROMISE) {
                // CAs want proof of the key itself for this reason: sign with it
                KeyPair certificateKey = new KeyPair(certificate.leaf().getPublicKey(), certificate.privateKey());
                Certificate.revoke(session, certificateKey, certificate.leaf(), acmeReason);
            } else {
                Login login = storedLogin(session).orElseThrow(() -> new AutoCertException("There is no ACME account at " + ca
                        + " to revoke the certificate with"));
                Certificate.revoke(login, certificate.leaf(), acmeReason);
            }
            LOG.info("Revoked the certificate {} for {} at {} ({})", certificate.metadata().serialNumber(),
                    certificate.metadata().domain(), ca.name(), reason);
            return null;
        });
    }

    /** A session no other conversation uses until it is given back; one is created when none is idle. */
    private Session borrowSession() {
        Session idle = idleSessions.poll();
        if (idle != null) {
            return idle;
        }
        Session created = ca.trustStore().isPresent() ? new Session(ca.directory(), trustingProvider())
                : new Session(ca.directory());
        created.networkSettings().setTimeout(options.networkTimeout());
        return created;
    }

    /**
     * The provider for a CA with its own trust store, made once: each one builds a TLS context, and
     * sessions sharing it can resume each other's TLS sessions.
     */
    private synchronized TrustingAcmeProvider trustingProvider() {
        if (trustingProvider == null) {
            trustingProvider = new TrustingAcmeProvider(ca.trustStore().orElseThrow());
        }
        return trustingProvider;
    }

    /**
     * Before the account is known, reads it on another thread while this one fetches the CA's
     * directory: in a cold JVM each takes about a quarter of a second (the account key's derivation,
     * the first TLS handshake), and a one-shot command then waits for the longer, not for both.
     */
    private void fetchDirectoryWhileReadingTheAccount(Session session) throws AcmeException {
        if (registeredAccount == null && accountReadAhead.get() == null) {
            CompletableFuture<Optional<AcmeAccount>> read = new CompletableFuture<>();
            if (accountReadAhead.compareAndSet(null, read)) {
                Thread reader = new Thread(() -> {
                    try {
                        read.complete(store.loadAccount(ca.directory()));
                    } catch (RuntimeException | Error e) {
                        read.completeExceptionally(e);
                    }
                }, "autocert4j-account-reader");
                reader.setDaemon(true);
                reader.start();
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

    /** The login of the registered account on a session, if there is one; the account is read from the store once. */
    private Optional<Login> storedLogin(Session session) {
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

    private Login login(Session session, Registration registration) throws AcmeException {
        Optional<Login> existing = storedLogin(session);
        if (existing.isPresent()) {
            return existing.get();
        }
        synchronized (accountLock) {
            existing = storedLogin(session); // registered by a concurrent order meanwhile
            return existing.isPresent() ? existing.get() : register(session, registration);
        }
    }

    private Login register(Session session, Registration registration) throws AcmeException {
        Optional<AcmeAccount> stored = store.loadAccount(ca.directory());
        Metadata metadata = session.getMetadata();
        if (metadata.isExternalAccountRequired() && registration.eabKeyId() == null) {
            throw new InvalidInputException("externalAccountBinding", null, "is missing: " + ca.name()
                    + " requires external account binding; give the key id and HMAC key your CA account provides");
        }
        KeyPair accountKey = stored.map(AcmeAccount::keyPair).orElseGet(this::newAccountKey);
        AccountBuilder builder = new AccountBuilder()
                .addEmail(registration.email())
                .agreeToTermsOfService()
                .useKeyPair(accountKey);
        if (registration.eabKeyId() != null) {
            builder.withKeyIdentifier(registration.eabKeyId(), registration.eabHmacKey());
        }
        newAccounts.take(ca.name(), "new accounts");
        Login registered = builder.createLogin(session);
        URI location = toUri(registered.getAccountLocation());
        AcmeAccount account = new AcmeAccount(ca.directory(), accountKey, location);
        store.saveAccount(account);
        LOG.info("Registered ACME account {} at {}", location, ca);
        registeredAccount = account;
        return registered;
    }

    /** Creates the account key and stores it before registering, so a crash never orphans an account. */
    private KeyPair newAccountKey() {
        KeyPair keyPair = ACCOUNT_KEY_TYPE.generate();
        store.saveAccount(new AcmeAccount(ca.directory(), keyPair, null));
        return keyPair;
    }

    private void authorize(Authorization authorization, ChallengeType type, ChallengeResponder responder)
            throws AcmeException, InterruptedException {
        if (authorization.getStatus() == Status.VALID) {
            return;
        }
        String name = nameOf(authorization);
        TokenChallenge challenge = findChallenge(authorization, type)
                .orElseThrow(() -> new CertificateAuthorityException(ca.name() + " offers no " + type.acmeName()
                        + " challenge for " + name + "; choose another challenge type for this enrollment", null, null, null));
        String keyAuthorization = challenge.getAuthorization();
        String token = keyAuthorization.substring(0, keyAuthorization.indexOf('.')); // token.thumbprint, RFC 8555 8.1
        responder.publish(name, token, keyAuthorization);
        try {
            if (type == ChallengeType.HTTP_01) {
                selfCheck(name, token, keyAuthorization);
            }
            challenge.trigger();
            Status status = poller.awaitJustAnswered(challenge::fetch, challenge::getStatus, Set.of(Status.VALID, Status.INVALID),
                    "The " + type.acmeName() + " challenge for " + name);
            if (status != Status.VALID) {
                throw challengeFailed(type, name, token, status, challenge.getError().orElse(null));
            }
            LOG.info("{} validated {} over {}", ca.name(), name, type.acmeName().toUpperCase(Locale.ROOT));
        } finally {
            responder.withdraw(token);
        }
    }

    /** The name being validated: a DNS name ({@code *.}-prefixed for a wildcard) or an IP address. */
    private static String nameOf(Authorization authorization) {
        Identifier identifier = authorization.getIdentifier();
        if (Identifier.TYPE_IP.equals(identifier.getType())) {
            return identifier.getIP().getHostAddress();
        }
        return (authorization.isWildcard() ? "*." : "") + identifier.getDomain();
    }

    private static Optional<TokenChallenge> findChallenge(Authorization authorization, ChallengeType type) {
        return switch (type) {
            case HTTP_01 -> authorization.findChallenge(Http01Challenge.class).map(TokenChallenge.class::cast);
            case TLS_ALPN_01 -> authorization.findChallenge(TlsAlpn01Challenge.class).map(TokenChallenge.class::cast);
            case DNS_01 -> authorization.findChallenge(Dns01Challenge.class).map(TokenChallenge.class::cast);
        };
    }

    /** Fetches the challenge as the CA will, where the host asked for it, before the CA is asked. */
    private void selfCheck(String domain, String token, String keyAuthorization) {
        ChallengeSelfCheck check = options.selfCheck();
        if (check == null) {
            return;
        }
        SelfCheckReport report = check.check(domain, token, keyAuthorization);
        if (report.passed()) {
            LOG.info("{}", report.summary());
        } else if (check.abortsOnFailure()) {
            throw new SelfCheckFailedException(report); // logged once, with the failure, by the caller
        } else {
            LOG.warn("{}", report.summary());
        }
    }

    private ChallengeFailedException challengeFailed(ChallengeType type, String name, String token, Status status,
                                                     Problem problem) {
        return new ChallengeFailedException(ca.name(), type, status.name().toLowerCase(Locale.ROOT),
                ChallengeFailedException.urlOf(type, name, token), problem == null ? null : problem.getType(),
                problem == null ? null : AcmeFailures.detail(problem));
    }

    private IssuedCertificate finalizeOrder(org.shredzone.acme4j.Order acmeOrder, Order order, Login login)
            throws AcmeException, InterruptedException {
        String description = "The order for " + order.domain();
        Status ready = poller.await(acmeOrder::fetch, acmeOrder::getStatus,
                Set.of(Status.READY, Status.VALID, Status.INVALID), description);
        requireNotInvalid(acmeOrder, ready, order.domain());
        KeyPair certificateKey = order.keyType().generate();
        order.beforeIssuing().run(); // a server that lost the renewal lock stops here, before the CA issues
        acmeOrder.execute(certificateKey);
        Status done = poller.await(acmeOrder::fetch, acmeOrder::getStatus, Set.of(Status.VALID, Status.INVALID), description);
        requireNotInvalid(acmeOrder, done, order.domain());
        Certificate certificate = chosenChain(acmeOrder.getCertificate());
        List<X509Certificate> chain = certificate.getCertificateChain();
        CertificateMetadata metadata = CertificateMetadata.of(order.domain(), chain.get(0), clock.instant(),
                ca.directory(), toUri(login.getAccountLocation()));
        IssuedCertificate issued = new IssuedCertificate(chain, certificateKey.getPrivate(), metadata);
        IssuedCertificateCheck.requireUsable(issued, order.names(), certificateKey.getPublic(), clock.instant(), ca.name());
        return issued;
    }

    private void requireNotInvalid(org.shredzone.acme4j.Order order, Status status, String domain) {
        if (status == Status.INVALID) {
            String detail = order.getError().map(AcmeFailures::detail).orElse("no detail given");
            throw new CertificateAuthorityException(ca.name() + " marked the order for " + domain + " invalid: "
                    + detail + ".", order.getError().map(Problem::getType).orElse(null), null, null);
        }
    }

    private Certificate chosenChain(Certificate certificate) {
        String preferredIssuer = options.preferredIssuer();
        if (preferredIssuer == null) {
            return certificate;
        }
        return certificate.findCertificate(preferredIssuer).orElseGet(() -> {
            LOG.info("{} offers no chain issued by '{}'; using its default chain", ca.name(), preferredIssuer);
            return certificate;
        });
    }

    private static URL toUrl(URI uri) {
        try {
            return uri.toURL();
        } catch (MalformedURLException e) {
            throw new CertificateAuthorityException("The stored account URL " + uri + " is malformed", null, null, e);
        }
    }

    private static URI toUri(URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new CertificateAuthorityException("The CA sent a malformed URL " + url, null, null, e);
        }
    }
}
