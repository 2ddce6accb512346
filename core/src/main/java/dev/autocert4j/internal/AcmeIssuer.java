package dev.autocert4j.internal;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.ChallengeSelfCheck;
import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.ChallengeFailedException;
import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.RenewalWindow;
import dev.autocert4j.SelfCheckFailedException;
import dev.autocert4j.SelfCheckReport;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Metadata;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
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
import java.security.KeyPair;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.Set;

/**
 * Obtains certificates from one ACME certificate authority: account, order, HTTP-01 challenge,
 * finalization with a fresh key, download. One instance per CA; thread-safe, one issuance at a time.
 */
public final class AcmeIssuer implements Issuer {

    private static final Logger LOG = LoggerFactory.getLogger(AcmeIssuer.class);
    private static final KeyType ACCOUNT_KEY_TYPE = KeyType.EC_P256;
    private static final URI ALREADY_REPLACED = URI.create("urn:ietf:params:acme:error:alreadyReplaced");
    private static final URI ACCOUNT_DOES_NOT_EXIST = URI.create("urn:ietf:params:acme:error:accountDoesNotExist");

    /**
     * acme4j needs Bouncy Castle registered as a security provider. It is added (last, so it
     * changes no JVM default) only when the CA is first contacted: a start-up that installs a
     * stored certificate does not pay for loading it.
     */
    private static synchronized void registerBouncyCastle() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    /**
     * How certificates are requested.
     *
     * @param keyType         the key type of new certificates
     * @param preferredIssuer the issuer common name of the preferred chain, or {@code null} for the CA's default
     * @param networkTimeout  the timeout of each request to the CA
     * @param lifetime        the validity to ask for, or {@code null} for the CA's default
     * @param profile         the ACME profile to ask for where the CA lists it, or {@code null}
     * @param selfCheck       the check of the challenge URL before the CA is asked, or {@code null} for none
     */
    public record Options(KeyType keyType, String preferredIssuer, Duration networkTimeout, Duration lifetime,
                          String profile, ChallengeSelfCheck selfCheck) {
    }

    private final CertificateAuthority ca;
    private final CertificateStore store;
    private final Clock clock;
    private final Poller poller;
    private final Options options;
    private Session session;
    private Login accountLogin;

    /**
     * Creates an issuer.
     *
     * @param ca      the certificate authority
     * @param store   where the account lives
     * @param clock   the time source
     * @param poller  how to wait for the CA
     * @param options how certificates are requested
     */
    public AcmeIssuer(CertificateAuthority ca, CertificateStore store, Clock clock, Poller poller, Options options) {
        this.ca = ca;
        this.store = store;
        this.clock = clock;
        this.poller = poller;
        this.options = options;
    }

    /**
     * Reads the CA's Terms of Service link from its directory.
     *
     * @return the link, if the CA publishes one
     * @throws CertificateAuthorityException if the directory cannot be read
     */
    public synchronized Optional<URI> termsOfService() {
        return readMetadata("reading the directory").getTermsOfService();
    }

    /**
     * Says whether the CA requires external account binding.
     *
     * @return {@code true} if new accounts need EAB credentials
     * @throws CertificateAuthorityException if the directory cannot be read
     */
    public synchronized boolean externalAccountRequired() {
        return readMetadata("reading the directory").isExternalAccountRequired();
    }

    /**
     * Obtains a certificate for one DNS name, answering the HTTP-01 challenge through the responder.
     *
     * @param domain       the DNS name, already checked
     * @param registration the account's email and optional EAB credentials
     * @param responder    answers the challenge
     * @return the certificate, its new private key and metadata
     * @throws CertificateAuthorityException (or a subclass) if the CA refuses, fails or cannot be reached
     */
    @Override
    public synchronized IssuedCertificate obtain(String domain, Registration registration, ChallengeResponder responder,
                                                 X509Certificate replacing) {
        String doing = "registering the account";
        try {
            Login login = login(registration);
            doing = "ordering a certificate for " + domain;
            LOG.info("Ordering a certificate for {} from {}", domain, ca);
            Order order;
            try {
                order = createOrder(login, domain, replacing);
            } catch (AcmeServerException e) {
                if (!ACCOUNT_DOES_NOT_EXIST.equals(e.getType())) {
                    throw e;
                }
                login = registerAgain(login, registration);
                order = createOrder(login, domain, replacing);
            }
            for (Authorization authorization : order.getAuthorizations()) {
                authorize(authorization, responder);
            }
            doing = "finalizing the order for " + domain;
            IssuedCertificate issued = finalizeOrder(order, domain, login);
            LOG.info("Obtained a certificate for {}: serial {}, expires {}", domain,
                    issued.metadata().serialNumber(), issued.metadata().notAfter());
            return issued;
        } catch (AcmeException e) {
            throw AcmeFailures.translate(e, ca, doing);
        } catch (AcmeProtocolException e) {
            throw AcmeFailures.translate(e, ca, doing);
        } catch (AcmeLazyLoadingException e) {
            // a resource fetched on first use (an authorization, say) could not be fetched
            throw e.getCause() instanceof AcmeException cause ? AcmeFailures.translate(cause, ca, doing)
                    : new CertificateAuthorityException(ca.name() + " failed while " + doing + ": " + e.getMessage(),
                    null, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CertificateAuthorityException("Interrupted while " + doing, null, null, e);
        }
    }

    /** The CA forgot the account (a reset test CA, or a deactivated account): register the same key again. */
    private Login registerAgain(Login stale, Registration registration) throws AcmeException {
        LOG.warn("{} no longer knows the account {}; registering again with the same key", ca.name(),
                stale.getAccountLocation());
        accountLogin = null;
        store.saveAccount(new AcmeAccount(ca.directory(), stale.getKeyPair(), null));
        return login(registration);
    }

    private Order createOrder(Login login, String domain, X509Certificate replacing) throws AcmeException {
        boolean namesReplaced = replacing != null && offersRenewalInfo();
        try {
            return orderBuilder(login, domain, namesReplaced ? replacing : null).create();
        } catch (AcmeServerException e) {
            if (!namesReplaced || !ALREADY_REPLACED.equals(e.getType())) {
                throw e;
            }
            LOG.info("{} says the certificate for {} was already replaced; ordering without 'replaces'", ca.name(), domain);
            return orderBuilder(login, domain, null).create();
        }
    }

    private OrderBuilder orderBuilder(Login login, String domain, X509Certificate replacing) throws AcmeException {
        OrderBuilder builder = login.newOrder().domain(domain);
        if (options.lifetime() != null) {
            builder.notAfter(clock.instant().plus(options.lifetime()));
        }
        if (replacing != null) {
            builder.replaces(replacing);
        }
        String profile = options.profile();
        if (profile != null) {
            if (session().getMetadata().isProfileAllowed(profile)) {
                builder.profile(profile);
            } else {
                LOG.warn("{} does not offer the profile '{}'; ordering with its default", ca.name(), profile);
            }
        }
        return builder;
    }

    private boolean offersRenewalInfo() throws AcmeException {
        return session().resourceUrlOptional(Resource.RENEWAL_INFO).isPresent();
    }

    @Override
    public synchronized Optional<RenewalWindow> renewalWindow(Supplier<X509Certificate> certificate) {
        try {
            if (!offersRenewalInfo()) {
                return Optional.empty();
            }
            Optional<Login> login = storedLogin();
            if (login.isEmpty()) {
                return Optional.empty();
            }
            RenewalInfo info = login.get().bindRenewalInfo(certificate.get());
            info.fetch();
            URI explanation = info.getExplanation().map(AcmeIssuer::toUri).orElse(null);
            return Optional.of(new RenewalWindow(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd(), explanation));
        } catch (AcmeException e) {
            throw AcmeFailures.translate(e, ca, "reading the renewal information");
        } catch (AcmeProtocolException | IllegalArgumentException e) {
            throw new CertificateAuthorityException(ca.name() + " sent renewal information that cannot be used: "
                    + e.getMessage(), null, null, e);
        }
    }

    private Metadata readMetadata(String doing) {
        try {
            return session().getMetadata();
        } catch (AcmeException e) {
            throw AcmeFailures.translate(e, ca, doing);
        } catch (AcmeProtocolException e) {
            throw AcmeFailures.translate(e, ca, doing);
        }
    }

    private Session session() {
        if (session == null) {
            registerBouncyCastle();
            Session created = ca.trustStore()
                    .map(trust -> new Session(ca.directory(), new TrustingAcmeProvider(trust)))
                    .orElseGet(() -> new Session(ca.directory()));
            created.networkSettings().setTimeout(options.networkTimeout());
            session = created;
        }
        return session;
    }

    /**
     * The login of the registered account, kept once read: renewal checks of many certificates
     * would otherwise decrypt the account key from the store for every one.
     */
    private Optional<Login> storedLogin() {
        if (accountLogin == null) {
            Optional<AcmeAccount> stored = store.loadAccount(ca.directory());
            if (stored.isEmpty() || stored.get().location() == null) {
                return Optional.empty();
            }
            accountLogin = session().login(toUrl(stored.get().location()), stored.get().keyPair());
        }
        return Optional.of(accountLogin);
    }

    private Login login(Registration registration) throws AcmeException {
        Optional<Login> existing = storedLogin();
        if (existing.isPresent()) {
            return existing.get();
        }
        Optional<AcmeAccount> stored = store.loadAccount(ca.directory());
        Metadata metadata = session().getMetadata();
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
        Login registered = builder.createLogin(session());
        URI location = toUri(registered.getAccountLocation());
        store.saveAccount(new AcmeAccount(ca.directory(), accountKey, location));
        LOG.info("Registered ACME account {} at {}", location, ca);
        accountLogin = registered;
        return registered;
    }

    /** Creates the account key and stores it before registering, so a crash never orphans an account. */
    private KeyPair newAccountKey() {
        KeyPair keyPair = ACCOUNT_KEY_TYPE.generate();
        store.saveAccount(new AcmeAccount(ca.directory(), keyPair, null));
        return keyPair;
    }

    private void authorize(Authorization authorization, ChallengeResponder responder)
            throws AcmeException, InterruptedException {
        if (authorization.getStatus() == Status.VALID) {
            return;
        }
        String domain = authorization.getIdentifier().getDomain();
        Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class)
                .orElseThrow(() -> new CertificateAuthorityException(ca.name() + " offers no HTTP-01 challenge for "
                        + domain + "; autocert4j validates domains with HTTP-01 only", null, null, null));
        String token = challenge.getToken();
        responder.publish(domain, token, challenge.getAuthorization());
        try {
            selfCheck(domain, token, challenge.getAuthorization());
            challenge.trigger();
            Status status = poller.await(challenge::fetch, challenge::getStatus, Set.of(Status.VALID, Status.INVALID),
                    "The HTTP challenge for " + domain);
            if (status != Status.VALID) {
                throw challengeFailed(domain, token, status, challenge.getError().orElse(null));
            }
            LOG.info("{} validated {} over HTTP-01", ca.name(), domain);
        } finally {
            responder.withdraw(token);
        }
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
            return;
        }
        LOG.warn("{}", report.summary());
        if (check.abortsOnFailure()) {
            throw new SelfCheckFailedException(report);
        }
    }

    private ChallengeFailedException challengeFailed(String domain, String token, Status status, Problem problem) {
        URI url = URI.create("http://" + domain + "/.well-known/acme-challenge/" + token);
        ChallengeFailedException failure = new ChallengeFailedException(ca.name(), status.name().toLowerCase(), url,
                problem == null ? null : problem.getType(), problem == null ? null : AcmeFailures.detail(problem));
        LOG.warn("{}", failure.getMessage());
        return failure;
    }

    private IssuedCertificate finalizeOrder(Order order, String domain, Login login)
            throws AcmeException, InterruptedException {
        String description = "The order for " + domain;
        Status ready = poller.await(order::fetch, order::getStatus, Set.of(Status.READY, Status.VALID, Status.INVALID), description);
        requireNotInvalid(order, ready, domain);
        KeyPair certificateKey = options.keyType().generate();
        order.execute(certificateKey);
        Status done = poller.await(order::fetch, order::getStatus, Set.of(Status.VALID, Status.INVALID), description);
        requireNotInvalid(order, done, domain);
        Certificate certificate = chosenChain(order.getCertificate());
        List<X509Certificate> chain = certificate.getCertificateChain();
        CertificateMetadata metadata = CertificateMetadata.of(domain, chain.get(0), clock.instant(), ca.directory(),
                toUri(login.getAccountLocation()));
        return new IssuedCertificate(chain, certificateKey.getPrivate(), metadata);
    }

    private void requireNotInvalid(Order order, Status status, String domain) {
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

    private static java.net.URL toUrl(URI uri) {
        try {
            return uri.toURL();
        } catch (MalformedURLException e) {
            throw new CertificateAuthorityException("The stored account URL " + uri + " is malformed", null, null, e);
        }
    }

    private static URI toUri(java.net.URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new CertificateAuthorityException("The CA sent a malformed account URL " + url, null, null, e);
        }
    }
}
