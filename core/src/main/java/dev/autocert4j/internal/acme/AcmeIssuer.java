package dev.autocert4j.internal.acme;

import dev.autocert4j.AccountRegistration;
import dev.autocert4j.internal.net.NameSyntax;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.ChallengeSelfCheck;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.RegisteredAccount;
import dev.autocert4j.RenewalWindow;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.internal.Issuer;
import dev.autocert4j.internal.caa.CaaPrecheck;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.internal.IssuedCertificateCheck;
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
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeProtocolException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import static dev.autocert4j.internal.acme.AcmeUrls.toUri;

/**
 * Obtains certificates from one ACME certificate authority: account, order, challenges,
 * finalization with a fresh key, download; and cares for the account (contact, key rollover,
 * revocation). One instance per CA; thread-safe. Orders for different names run at once, each on
 * a session of its own (acme4j signs one request at a time per session), all with the one account;
 * new orders and account registrations are paced under the CA's published limits.
 */
public final class AcmeIssuer implements Issuer {

    private static final Logger LOG = LoggerFactory.getLogger(AcmeIssuer.class);
    private static final URI ALREADY_REPLACED = URI.create("urn:ietf:params:acme:error:alreadyReplaced");
    private static final URI ACCOUNT_DOES_NOT_EXIST = URI.create("urn:ietf:params:acme:error:accountDoesNotExist");
    /** The profile of Let's Encrypt's six-day certificates, the only ones it issues for IP addresses. */
    static final String SHORT_LIVED = "shortlived";

    /**
     * How the CA is talked to.
     *
     * @param preferredIssuer the issuer of the preferred chain (common name or whole subject), or {@code null}
     * @param networkTimeout  the timeout of each request to the CA
     * @param lifetime        the validity to ask for, or {@code null} for the CA's default
     * @param selfCheck       the check of the challenge URL before the CA is asked, or {@code null} for none
     * @param account         the account the host set up, registered where none is stored, or {@code null}
     */
    public record Options(String preferredIssuer, Duration networkTimeout, Duration lifetime, ChallengeSelfCheck selfCheck,
                          AccountRegistration account) {
        /**
         * Options without an account set up: enrollments register it the deprecated way.
         *
         * @param preferredIssuer the issuer common name of the preferred chain, or {@code null}
         * @param networkTimeout  the timeout of each request to the CA
         * @param lifetime        the validity to ask for, or {@code null}
         * @param selfCheck       the check of the challenge URL, or {@code null}
         */
        public Options(String preferredIssuer, Duration networkTimeout, Duration lifetime, ChallengeSelfCheck selfCheck) {
            this(preferredIssuer, networkTimeout, lifetime, selfCheck, null);
        }
    }

    private final CertificateAuthority ca;
    private final Clock clock;
    private final Poller poller;
    private final Options options;
    private final SessionPool sessions;
    private final AccountKeeper account;
    private final Authorizer authorizer;
    private final Pacer newOrders;
    private final CaaPrecheck caa;
    private final OrderRecovery recovery;

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
        this.clock = clock;
        this.poller = poller;
        this.options = options;
        this.sessions = new SessionPool(ca, options.networkTimeout());
        this.account = new AccountKeeper(ca, store, clock,
                options.account() == null ? null : Registration.of(options.account()));
        this.authorizer = new Authorizer(ca, poller, options.selfCheck(), poller.timeout());
        this.newOrders = new Pacer(ca.newOrderLimit().orElse(null), clock);
        this.caa = new CaaPrecheck(ca, clock);
        this.recovery = new OrderRecovery(ca, store, poller, clock);
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
    public IssuedCertificate obtain(Order order, ChallengeSolver solver) {
        String domain = order.domain();
        return talk("registering the account", (doing, session) -> {
            account.fetchDirectoryWhileReadingTheAccount(session);
            Login login = account.login(session, order.registration());
            doing.set("checking the CAA records of " + String.join(", ", order.names()));
            caa.check(order.names(), session.getMetadata().getCaaIdentities(), toUri(login.getAccountLocation()),
                    order.challenge());
            doing.set("ordering a certificate for " + String.join(", ", order.names()));
            LOG.info("Ordering a certificate for {} from {}", String.join(", ", order.names()), ca);
            org.shredzone.acme4j.Order acmeOrder;
            try {
                acmeOrder = createOrder(session, login, order);
            } catch (AcmeServerException e) {
                if (!ACCOUNT_DOES_NOT_EXIST.equals(e.getType())) {
                    throw e;
                }
                login = account.registerAgain(session, login, order.registration());
                acmeOrder = createOrder(session, login, order);
            }
            for (Authorization authorization : acmeOrder.getAuthorizations()) {
                authorizer.authorize(authorization, order.challenge(), solver);
            }
            doing.set("finalizing the order for " + domain);
            IssuedCertificate issued = finalizeOrder(acmeOrder, order, login);
            LOG.info("Obtained a certificate for {}: serial {}, expires {}", String.join(", ", order.names()),
                    issued.metadata().serialNumber(), issued.metadata().notAfter());
            return issued;
        });
    }

    @Override
    public Optional<IssuedCertificate> resume(Order order) {
        Optional<dev.autocert4j.PendingOrder> pending = recovery.pendingFor(order);
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        return talk("fetching the pending order for " + order.domain(), (doing, session) -> {
            Optional<Login> login = account.storedLogin(session);
            return login.isEmpty() ? Optional.<IssuedCertificate>empty() : recovery.resume(pending.get(), login.get(),
                    order.beforeIssuing(), (acmeOrder, certificateKey) -> downloaded(acmeOrder, order, login.get(), certificateKey));
        });
    }

    /** A conversation with the CA, on a session no other runs on meanwhile, that may fail with any of acme4j's exceptions. */
    @FunctionalInterface
    private interface Conversation<T> {
        T run(Doing doing, Session session) throws AcmeException, InterruptedException;
    }

    /** Runs a conversation and turns acme4j's failures into the project's own exceptions. */
    private <T> T talk(String firstStep, Conversation<T> conversation) {
        Doing doing = new Doing(firstStep);
        Session session = sessions.borrow();
        try {
            return conversation.run(doing, session);
        } catch (AcmeException e) {
            throw AcmeFailures.translate(e, ca, doing.what());
        } catch (AcmeProtocolException e) {
            throw AcmeFailures.translate(e, ca, doing.what());
        } catch (AcmeLazyLoadingException e) {
            // a resource fetched on first use (an authorization, say) could not be fetched
            throw e.getCause() instanceof AcmeException cause ? AcmeFailures.translate(cause, ca, doing.what())
                    : new CertificateAuthorityException(ca.name() + " failed while " + doing.what() + ": " + e.getMessage(),
                    null, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CertificateAuthorityException("Interrupted while " + doing.what(), null, null, e);
        } finally {
            sessions.giveBack(session);
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
        return names.stream().map(name -> NameSyntax.isIpAddress(name) ? Identifier.ip(name) : Identifier.dns(name))
                .toList();
    }

    /**
     * Certificates for IP addresses need a short-lived profile where the CA offers one
     * (Let's Encrypt's {@value #SHORT_LIVED}); where it lists no profiles, none is asked for.
     */
    private String profileForAddresses(Session session, List<String> names) throws AcmeException {
        if (names.stream().noneMatch(NameSyntax::isIpAddress)) {
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
        Session session = sessions.borrow();
        try {
            if (!offersRenewalInfo(session)) {
                return Optional.empty();
            }
            Optional<Login> login = account.storedLogin(session);
            if (login.isEmpty()) {
                return Optional.empty();
            }
            RenewalInfo info = login.get().bindRenewalInfo(certificate.get());
            Optional<java.time.Instant> retryAfter = info.fetch();
            URI explanation = info.getExplanation().map(AcmeUrls::toUri).orElse(null);
            RenewalWindow window = new RenewalWindow(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd(), explanation);
            return Optional.of(new RenewalAdvice(window, retryAfter.orElse(null)));
        } catch (AcmeException e) {
            throw AcmeFailures.translate(e, ca, "reading the renewal information");
        } catch (AcmeProtocolException | IllegalArgumentException e) {
            throw new CertificateAuthorityException(ca.name() + " sent renewal information that cannot be used: "
                    + e.getMessage(), null, null, e);
        } finally {
            sessions.giveBack(session);
        }
    }

    @Override
    public Optional<RegisteredAccount> registeredAccount() {
        return account.registered().map(RegisteredAccount::of);
    }

    @Override
    public RegisteredAccount register(Registration registration) {
        return talk("reading the account", (doing, session) -> account.registerOrUpdate(session, doing, registration));
    }

    @Override
    public void updateAccountEmail(String email) {
        talk("reading the account", (doing, session) -> {
            account.updateContact(session, doing, email);
            return null;
        });
    }

    @Override
    public URI rolloverAccountKey() {
        return talk("rolling over the account key", (doing, session) -> account.rolloverKey(session));
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
                Login login = account.storedLogin(session).orElseThrow(() -> new AutoCertException("There is no ACME account at " + ca
                        + " to revoke the certificate with"));
                Certificate.revoke(login, certificate.leaf(), acmeReason);
            }
            LOG.info("Revoked the certificate {} for {} at {} ({})", certificate.metadata().serialNumber(),
                    certificate.metadata().domain(), ca.name(), reason);
            return null;
        });
    }

    private IssuedCertificate finalizeOrder(org.shredzone.acme4j.Order acmeOrder, Order order, Login login)
            throws AcmeException, InterruptedException {
        String description = "The order for " + order.domain();
        Status ready = poller.await(acmeOrder::fetch, acmeOrder::getStatus,
                Set.of(Status.READY, Status.VALID, Status.INVALID), description);
        requireNotInvalid(acmeOrder, ready, order.domain());
        KeyPair certificateKey = order.keyType().generate();
        order.beforeIssuing().run(); // a server that lost the renewal lock stops here, before the CA issues
        recovery.record(order, toUri(acmeOrder.getLocation()), certificateKey);
        acmeOrder.execute(certificateKey);
        Status done = poller.await(acmeOrder::fetch, acmeOrder::getStatus, Set.of(Status.VALID, Status.INVALID), description);
        requireNotInvalid(acmeOrder, done, order.domain());
        return downloaded(acmeOrder, order, login, certificateKey);
    }

    /** The certificate of a valid order, checked as {@link IssuedCertificateCheck} says before it is stored. */
    private IssuedCertificate downloaded(org.shredzone.acme4j.Order acmeOrder, Order order, Login login,
                                         KeyPair certificateKey) {
        List<X509Certificate> chain = chosenChain(acmeOrder.getCertificate(), order);
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

    /** The chain to serve: see {@link ChainChoice}; a warning goes to the order, for the status. */
    private List<X509Certificate> chosenChain(Certificate certificate, Order order) {
        List<List<X509Certificate>> chains = new ArrayList<>();
        chains.add(certificate.getCertificateChain());
        for (Certificate alternate : certificate.getAlternateCertificates()) {
            chains.add(alternate.getCertificateChain());
        }
        ChainChoice.Choice choice = ChainChoice.choose(chains, options.preferredIssuer(), ca.chainTrust().orElse(null),
                clock.instant(), ca.name());
        if (choice.warning() != null) {
            LOG.warn("{}: {}", order.domain(), choice.warning());
            order.warned().accept(choice.warning());
        }
        return choice.chain();
    }
}
