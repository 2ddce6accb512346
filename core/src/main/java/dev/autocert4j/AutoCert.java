package dev.autocert4j;

import dev.autocert4j.internal.Issuer;
import dev.autocert4j.internal.PluginChoice;
import dev.autocert4j.internal.Plugins;
import dev.autocert4j.internal.RequestChecks;
import dev.autocert4j.internal.ResponderSolver;
import dev.autocert4j.internal.Sleeper;
import dev.autocert4j.internal.engine.Engine;
import dev.autocert4j.internal.ondemand.OnDemandService;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.RenewalPolicy;
import dev.autocert4j.spi.Storage;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * Let's Encrypt (or any ACME CA) for the host's own portal: the one object a host application
 * embeds. Build it with {@link #builder()}, show the admin {@link #bindings()} and
 * {@link #termsOfService()}, {@link #register} the account they set up (once per CA; or give it to
 * {@link Builder#account}), then {@link #enroll(EnrollmentRequest)} the binding they chose. The
 * account and the enrollment are remembered in the {@link CertificateStore}: at every start of the
 * host, {@link #start()} alone puts the stored certificate back on its binding and keeps it renewed.
 *
 * <pre>{@code
 * AutoCert autoCert = AutoCert.builder()
 *         .certificateAuthority(CertificateAuthority.letsEncrypt())
 *         .bindingProvider(myServer)
 *         .challengeSolver(http01Responder)
 *         .certificateStore(new Pkcs12CertificateStore(stateDir, password))
 *         .build();
 * autoCert.start();                       // at every start: resumes what was enrolled before
 * // once, when the admin clicks Register (on a worker thread: it blocks):
 * autoCert.register(AccountRegistration.builder().email("admin@example.com")
 *         .termsOfServiceAccepted(autoCert.termsOfService().orElseThrow()).build());
 * CertificateStatus status = autoCert.enroll(EnrollmentRequest.builder()
 *         .binding(Binding.parse("http://portal.example.com:80")).httpsPort(443).build());
 * }</pre>
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>{@link #enroll}, {@link #register}, {@link #renewNow}, {@link #revoke}, {@link #rolloverAccountKey()}
 *       and {@link #updateAccountEmail} block the calling thread until done (validation and issuance
 *       each bounded by {@link Builder#pollTimeout}, each request by {@link Builder#networkTimeout}):
 *       call them from a worker, not from a request thread of the portal.</li>
 *   <li>{@link #start()} installs stored valid certificates on the calling thread without any network
 *       call; later checks and renewals run on the daemon thread {@code autocert4j-renewal}, or on the
 *       {@link Builder#renewalExecutor}. Plugins and listeners are called on the thread doing the work.</li>
 *   <li>Work on one name never runs twice at once; a call for a name that is busy waits for it.</li>
 *   <li>A failed {@link #enroll} stays managed: it is tried again after 1, 10 and 100 minutes, then
 *       daily (or when the CA's {@code Retry-After} says), and the status shows the error meanwhile.</li>
 * </ul>
 * Every method is thread-safe. Each failure is logged once, at WARN, with the message the admin
 * needs; the same message is in the exception (where a method throws) and in {@link #status}.
 */
public final class AutoCert implements AutoCloseable {

    /** How many certificates are obtained at once unless {@link Builder#concurrentIssuance} says otherwise. */
    public static final int DEFAULT_CONCURRENT_ISSUANCE = 4;

    private final CertificateAuthority certificateAuthority;
    private final BindingProvider bindingProvider;
    private final RenewalPolicy renewalPolicy;
    private final Engine engine;
    private final OnDemandService onDemand;

    private AutoCert(Builder builder) {
        this.certificateAuthority = builder.certificateAuthorities.get(0);
        this.bindingProvider = builder.bindingProvider;
        this.renewalPolicy = builder.renewalPolicy;
        this.engine = new Engine(builder.parts());
        this.onDemand = OnDemandService.attach(builder.onDemand, engine, bindingProvider, builder.clock,
                builder.certificateStore);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the certificate authority certificates come from */
    public CertificateAuthority certificateAuthority() {
        return certificateAuthority;
    }

    /** @return the renewal policy */
    public RenewalPolicy renewalPolicy() {
        return renewalPolicy;
    }

    /** @return the bindings the host listens on, for the admin to choose from */
    public List<Binding> bindings() {
        return List.copyOf(bindingProvider.bindings());
    }

    /**
     * Reads the link to the CA's Terms of Service from its directory, to show next to the
     * "I accept" checkbox. Calls the CA.
     *
     * @return the link, if the CA publishes one
     * @throws CertificateAuthorityException if the directory cannot be read
     */
    public Optional<URI> termsOfService() {
        return engine.issuer().termsOfService();
    }

    /**
     * Says whether the CA requires external account binding credentials. Calls the CA.
     *
     * @return {@code true} if enrollment needs an EAB key id and HMAC key
     * @throws CertificateAuthorityException if the directory cannot be read
     */
    public boolean externalAccountRequired() {
        return engine.issuer().externalAccountRequired();
    }

    /**
     * Registers the ACME account at the CA, as when the admin clicks Register, or, where one is
     * stored, makes its contact these emails; stores the contacts and the accepted Terms of Service
     * link with the account, so every enrollment from then on uses it (also after a restart). The
     * account key pair is made where none is stored; a stored one is kept. Blocks until done.
     *
     * @param account what the admin set up: the contacts, the Terms of Service link they accepted,
     *                optional EAB credentials
     * @return what is registered now
     * @throws TermsOfServiceChangedException if the CA links other Terms of Service than those accepted:
     *                                        show the admin {@link TermsOfServiceChangedException#termsOfService()}
     * @throws InvalidInputException          if the CA requires external account binding and none is given
     * @throws CertificateAuthorityException  if the CA refused, failed or could not be reached
     * @throws CertificateStoreException      if the account could not be stored
     * @since 0.2.0
     */
    public RegisteredAccount register(AccountRegistration account) {
        Objects.requireNonNull(account, "account");
        return engine.issuer().register(Issuer.Registration.of(account));
    }

    /**
     * Reports the account registered at the CA, for the admin's page: its URL, contacts and the
     * Terms of Service link accepted. Reads the store only (once; then what this {@code AutoCert}
     * registered or read is kept); never calls the CA.
     *
     * @return what is registered, or empty if no account is registered at this CA yet
     * @throws CertificateStoreException if the store cannot be read
     * @since 0.2.0
     */
    public Optional<RegisteredAccount> account() {
        return engine.accounts().registered();
    }

    /**
     * Obtains a certificate for the chosen binding and installs it: uses the registered ACME account
     * (or registers the one given to {@link Builder#account}), proves control of the domain, stores
     * the certificate and hands it to the {@link BindingProvider}. The enrollment is
     * stored first, so it stays managed (and is resumed by {@link #start()}) even if this fails.
     * Blocks until done.
     *
     * <p>On failure, nothing already stored is deleted or replaced, and the status records the error.
     *
     * @param request what the admin chose
     * @return the status after the certificate was installed
     * @throws InvalidInputException         if the binding is not one the host listens on, or no account is
     *                                       registered, set on the builder or given with the request
     *                                       (checked before any network call)
     * @throws ChallengeFailedException      if the CA could not validate the domain
     * @throws CertificateAuthorityException if the CA refused, failed or could not be reached
     * @throws CertificateStoreException     if the certificate could not be stored
     * @throws AutoCertException             if the binding provider could not install the certificate
     */
    public CertificateStatus enroll(EnrollmentRequest request) {
        Objects.requireNonNull(request, "request");
        RequestChecks.requireAcceptable(request, bindingProvider, engine.keeper(), certificateAuthority);
        engine.accounts().requireAccountFor(request);
        return engine.keeper().enroll(request);
    }

    /**
     * Puts an enrollment under management without obtaining a certificate now, and remembers it:
     * a stored certificate that is still valid is installed at once without calling the CA, and
     * renewal checks follow on {@link #start()}. Without a stored valid certificate the domain is
     * due at the first check. With a store that keeps enrollments, {@link #start()} does this for
     * every stored enrollment by itself.
     *
     * @param request the admin's choice, as for {@link #enroll}
     * @return the status after installing the stored certificate, if any
     * @throws InvalidInputException     if the binding is not one the host listens on
     * @throws CertificateStoreException if the store cannot be read
     * @throws AutoCertException         if the binding provider could not install the stored certificate
     */
    public CertificateStatus manage(EnrollmentRequest request) {
        Objects.requireNonNull(request, "request");
        RequestChecks.requireAcceptable(request, bindingProvider, engine.keeper(), certificateAuthority);
        return engine.keeper().manage(request, true);
    }

    /**
     * Chooses the challenge type that works for a certificate's names on this server, before any
     * call to the CA ("automatic" on the admin's form): HTTP-01 when a test token published on the
     * HTTP-01 responder is fetched on port 80 at every address of every name; otherwise TLS-ALPN-01
     * when port 443 answers a test validation handshake; otherwise DNS-01 when a DNS-01 solver is
     * configured. Types without a solver, and types that cannot validate a name (wildcards need
     * DNS-01, IP addresses never take it), are passed over. The ports, resolver and timeouts are
     * those of the {@linkplain Builder#selfCheck self-check}, or port 80 and 443 by default.
     *
     * @param names every name the certificate is to cover
     * @return the first type that works, for {@link EnrollmentRequest.Builder#challenge}
     * @throws AutoCertException saying in one message what was tried and why each failed
     * @since 0.2.0
     */
    public ChallengeType chooseChallenge(List<String> names) {
        return engine.chooser().choose(InputChecks.requireSomeNames(names));
    }

    /**
     * Renews a managed domain now, whether due or not ("renew now" in the admin's page). It also
     * ends a pause of automatic renewal.
     *
     * @param domain a domain passed to {@link #enroll} or {@link #manage}, or resumed by {@link #start()}
     * @return the status after renewal
     * @throws InvalidInputException if the domain is not managed
     * @throws AutoCertException     (or a subclass) if renewal fails; the working certificate stays
     */
    public CertificateStatus renewNow(String domain) {
        return engine.keeper().renewNow(InputChecks.normalizedDomain(domain));
    }

    /**
     * Revokes a managed domain's certificate, with a new one in its place first: the new
     * certificate is obtained and installed, then the old one revoked at the CA. With
     * {@link RevocationReason#KEY_COMPROMISE} the request is signed with the old certificate's key.
     *
     * @param domain a managed domain
     * @param reason why
     * @return the status with the new certificate
     * @throws InvalidInputException if the domain is not managed or has no certificate
     * @throws AutoCertException     if the new certificate cannot be obtained (the old one stays, not
     *                               revoked), or the old one cannot be revoked (the new one is in place)
     */
    public CertificateStatus revoke(String domain, RevocationReason reason) {
        Objects.requireNonNull(reason, "reason");
        return engine.keeper().revoke(InputChecks.normalizedDomain(domain), reason);
    }

    /**
     * Stops managing a domain, as when the admin disables the integration: no more checks or
     * renewals, and {@link #start()} no longer resumes it. The stored certificate and key stay (the
     * host keeps serving the installed certificate until it replaces it or it expires). Waits for
     * work in progress on the domain to end.
     *
     * @param domain a managed or stored domain
     * @throws InvalidInputException     if the domain is neither managed nor stored
     * @throws CertificateStoreException if the stored enrollment cannot be deleted
     */
    public void unmanage(String domain) {
        engine.keeper().unmanage(InputChecks.normalizedDomain(domain), false);
    }

    /**
     * Stops managing a domain, as {@link #unmanage(String)}, and deletes its stored certificate
     * and key as well.
     *
     * @param domain a managed or stored domain
     * @throws InvalidInputException     if the domain is neither managed nor stored
     * @throws CertificateStoreException if the store cannot delete them
     */
    public void unmanageAndDelete(String domain) {
        engine.keeper().unmanage(InputChecks.normalizedDomain(domain), true);
    }

    /**
     * Makes this email the ACME account's only contact at the CA and in the stored account, where an
     * account exists. {@link #register} does the same for more than one email.
     *
     * @param email the new registration email
     * @throws InvalidInputException         if it is not an email address (checked before any network call)
     * @throws CertificateAuthorityException if the CA cannot be reached or refuses
     */
    public void updateAccountEmail(String email) {
        Objects.requireNonNull(email, "email");
        engine.keeper().updateAccountEmail(InputChecks.requireEmail(email));
    }

    /**
     * Replaces the ACME account's key pair with a new one, at the CA and in the store (key
     * rollover, RFC 8555 section 7.3.5). The account URL, and so its certificates and rate limits,
     * stay the same.
     *
     * @return the account URL
     * @throws AutoCertException if there is no account yet, or the CA or the store fails; if the
     *                           store fails, the CA is given the previous key back
     */
    public URI rolloverAccountKey() {
        return engine.issuer().rolloverAccountKey();
    }

    /**
     * Runs the renewal checks that are due now by the clock, on the calling thread. The renewal
     * thread started by {@link #start()} calls this; hosts with their own scheduler call
     * {@link #resume()} once and then this instead. Failures are recorded in the status and
     * reported to listeners, never thrown. To check every certificate at once and learn what
     * happened to each, call {@link #checkAll()} instead.
     */
    public void checkNow() {
        engine.keeper().checkDue();
    }

    /**
     * Checks every managed certificate now, whatever its schedule, on the calling thread, and says
     * what happened to each: a missing certificate is obtained; one the renewal policy (or the CA's
     * renewal window) says is due, one that has expired, and one short of an enrolled name are
     * renewed; the others are kept. Each certificate is worked on at most once per call, a failure
     * is not retried within it, and a failure never deletes or replaces a working certificate. A
     * name whose automatic renewal is {@linkplain CertificateStatus#isPaused() paused} stays paused
     * ({@link #renewNow} resumes it). Work in progress on a name is waited for, then its result is
     * checked. Blocks while certificates are obtained, as {@link #enroll} does.
     *
     * <p>For one-shot tools (call {@link #resume()} first, so the stored enrollments are managed):
     * exit successfully only when {@link CheckResult#succeeded()}. Unlike {@link #checkNow()}, it
     * ignores the back-off after failures, so a host should not call it in a loop.
     *
     * @return per managed certificate: kept, obtained, renewed or failed, why, and its condition afterwards
     * @since 0.2.0
     */
    public CheckResult checkAll() {
        return engine.keeper().checkAll();
    }

    /**
     * Resumes every enrollment the store keeps (installing stored valid certificates on the calling
     * thread, without any network call) and starts the renewal thread: it checks each managed
     * domain when due (every 24 hours by default, and at the moment a certificate becomes due) and
     * renews within the policy's window, or the CA's. A certificate that is missing or expired is
     * obtained in the background. Calling it again does nothing.
     *
     * @throws IllegalStateException     if this {@code AutoCert} was closed
     * @throws CertificateStoreException if the store cannot list its enrollments
     */
    public void start() {
        engine.start();
    }

    /**
     * Puts every enrollment the store keeps under management, installing stored valid certificates
     * on the calling thread without any network call, but starts no thread: for one-shot tools, and
     * for hosts that run {@link #checkNow()} from a scheduler of their own. {@link #start()} calls it;
     * calling it again does nothing.
     *
     * @return the domains resumed by this call; empty if they were resumed before
     * @throws IllegalStateException     if this {@code AutoCert} was closed
     * @throws CertificateStoreException if the store cannot list its enrollments
     */
    public List<String> resume() {
        return engine.resume();
    }

    /** Stops the renewal thread for good. Installed certificates stay in place. Calling it again does nothing. */
    @Override
    public void close() {
        onDemand.close();
        engine.close();
    }

    /** @return the domains under management, in no particular order */
    public List<String> managedDomains() {
        return engine.keeper().managedDomains();
    }

    /** @return the enrollments under management, with the choices made for each, in no particular order */
    public List<EnrollmentRequest> enrollments() {
        return engine.keeper().enrollments();
    }

    /**
     * Reports a domain's certificate: the names it covers, last renewed, expiry, next check, the
     * outcome of the last attempt and whether renewal is paused. Reads the store only; never calls the CA.
     *
     * @param domain the DNS name
     * @return the status, {@link CertificateStatus#none(String) empty} if nothing is stored
     * @throws CertificateStoreException if the store cannot be read
     */
    public CertificateStatus status(String domain) {
        return engine.keeper().status(InputChecks.normalizedDomain(domain));
    }

    /** Builds an {@link AutoCert}. The CA, binding provider, a challenge solver and the store are required. */
    public static final class Builder {
        private List<CertificateAuthority> certificateAuthorities = List.of();
        private BindingProvider bindingProvider;
        private final Map<ChallengeType, ChallengeSolver> solvers = new EnumMap<>(ChallengeType.class);
        private CertificateStore certificateStore;
        private RenewalPolicy renewalPolicy;
        private Clock clock = Clock.systemUTC();
        private KeyType keyType = KeyType.EC_P256;
        private String preferredIssuer;
        private Duration networkTimeout = Duration.ofSeconds(30);
        private Duration pollTimeout = Duration.ofMinutes(2);
        private Duration lifetime;
        private String profile;
        private ChallengeSelfCheck selfCheck;
        private boolean renewalInformation = true;
        private boolean verifyInstallation = true;
        private int pauseAfterFailedValidations = 5;
        private int concurrentIssuance = DEFAULT_CONCURRENT_ISSUANCE;
        private Sleeper sleeper = Sleeper.threadSleep();
        private final RandomGenerator random = new SplittableRandom();
        private final List<AutoCertListener> listeners = new ArrayList<>();
        private ScheduledExecutorService executor;
        private AccountRegistration account;
        private OnDemandIssuance onDemand;

        private Builder() {
        }

        /**
         * Sets the ACME account at the CA, for hosts that know it from their configuration: it is
         * registered with the first enrollment where none is stored, and enrollments need no email
         * or consent of their own. To change a registered account's contact, call
         * {@link AutoCert#register}; hosts whose admin sets the account up at run time call only that.
         *
         * @param account the contacts, the accepted Terms of Service link, optional EAB credentials
         * @return this builder
         * @since 0.2.0
         */
        public Builder account(AccountRegistration account) {
            this.account = Objects.requireNonNull(account, "account");
            return this;
        }

        /**
         * Obtains certificates on demand, behind a required guard: see {@link OnDemandIssuance}.
         *
         * @param onDemand the guard, limits and key manager
         * @return this builder
         * @since 0.2.0
         */
        public Builder onDemand(OnDemandIssuance onDemand) {
            this.onDemand = Objects.requireNonNull(onDemand, "onDemand");
            return this;
        }

        /**
         * @param certificateAuthority where certificates come from, such as {@link CertificateAuthority#letsEncrypt()}
         * @return this builder
         */
        public Builder certificateAuthority(CertificateAuthority certificateAuthority) {
            this.certificateAuthorities = List.of(Objects.requireNonNull(certificateAuthority, "certificateAuthority"));
            return this;
        }

        /**
         * Sets several CAs, tried in this order: each order starts at the first, and moves on to the
         * next in the same attempt where a CA fails as its {@link CertificateAuthority#fallbackPolicy()}
         * says (down, rate-limiting, refusing a name). Each CA has its own account
         * ({@link CertificateAuthority#withAccount}, else {@link #account}'s); {@link AutoCert#register}
         * and the other account methods act at the first.
         *
         * @param first     the CA tried first
         * @param fallbacks the CAs tried next, in order
         * @return this builder
         * @throws InvalidInputException if a CA's directory is given twice
         * @since 0.2.0
         */
        public Builder certificateAuthorities(CertificateAuthority first, CertificateAuthority... fallbacks) {
            this.certificateAuthorities = InputChecks.requireDistinctDirectories(first, fallbacks);
            return this;
        }

        /**
         * @param bindingProvider the host's listeners
         * @return this builder
         */
        public Builder bindingProvider(BindingProvider bindingProvider) {
            this.bindingProvider = Objects.requireNonNull(bindingProvider, "bindingProvider");
            return this;
        }

        /**
         * Adds what answers one challenge type, the type its {@link ChallengeSolver#type()} says:
         * {@code Http01Responder} ({@code autocert4j-challenge-http}) for HTTP-01,
         * {@code sniKeyManager.tlsAlpn01Responder()} for TLS-ALPN-01, {@code Dns01Responder}
         * ({@code autocert4j-challenge-dns}) for DNS-01. An enrollment whose challenge type has no
         * solver is refused before any network call.
         *
         * @param solver what answers its challenge type
         * @return this builder
         * @throws IllegalStateException if a solver or responder for the same type was given before,
         *                               naming both classes
         * @since 0.2.0
         */
        public Builder challengeSolver(ChallengeSolver solver) {
            ResponderSolver.addOnePerType(solvers, Objects.requireNonNull(solver, "solver"));
            return this;
        }

        /**
         * @param challengeResponder answers HTTP-01 challenges on port 80
         * @return this builder
         * @deprecated since 0.2.0: use {@link #challengeSolver(ChallengeSolver)}; this one replaces
         *             the HTTP-01 solver given before, if any
         */
        @Deprecated(since = "0.2.0")
        public Builder challengeResponder(ChallengeResponder challengeResponder) {
            return challengeResponder(ChallengeType.HTTP_01, challengeResponder);
        }

        /**
         * @param type      the challenge type
         * @param responder what answers it
         * @return this builder
         * @since 0.2.0
         * @deprecated since 0.2.0: use {@link #challengeSolver(ChallengeSolver)}; this one replaces
         *             the solver of the type given before, if any
         */
        @Deprecated(since = "0.2.0")
        public Builder challengeResponder(ChallengeType type, ChallengeResponder responder) {
            solvers.put(type, ResponderSolver.of(type, responder)); // which checks both for null
            return this;
        }

        /**
         * @param certificateStore where accounts, certificates and enrollments are kept
         * @return this builder
         */
        public Builder certificateStore(CertificateStore certificateStore) {
            this.certificateStore = Objects.requireNonNull(certificateStore, "certificateStore");
            return this;
        }

        /**
         * Keeps accounts, certificates and enrollments in a storage that moves bytes (a folder, a
         * database, a bucket), in autocert4j's sealed format: the same as
         * {@code certificateStore(CertificateStores.onStorage(storage, key))}.
         *
         * @param storage where the bytes are kept
         * @param key     the store key that encrypts and seals what is kept
         * @return this builder
         * @since 0.2.0
         */
        public Builder storage(Storage storage, StoreKey key) {
            return certificateStore(CertificateStores.onStorage(storage, key));
        }

        /**
         * @param renewalPolicy when to check and renew; default {@link RenewalPolicy#standard()}
         * @return this builder
         */
        public Builder renewalPolicy(RenewalPolicy renewalPolicy) {
            this.renewalPolicy = Objects.requireNonNull(renewalPolicy, "renewalPolicy");
            return this;
        }

        /**
         * @param clock the time source; default the system clock in UTC
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param keyType the key type of new certificates where an enrollment chose none; default {@link KeyType#EC_P256}
         * @return this builder
         */
        public Builder keyType(KeyType keyType) {
            this.keyType = Objects.requireNonNull(keyType, "keyType");
            return this;
        }

        /**
         * Prefers, among the chains that verify, the one whose top issuer has this common name or subject.
         *
         * @param issuerCommonName such as {@code "ISRG Root X1"}
         * @return this builder
         */
        public Builder preferredChain(String issuerCommonName) {
            this.preferredIssuer = Objects.requireNonNull(issuerCommonName, "issuerCommonName");
            return this;
        }

        /**
         * @param networkTimeout the timeout of each request to the CA; default 30 s
         * @return this builder
         */
        public Builder networkTimeout(Duration networkTimeout) {
            this.networkTimeout = InputChecks.requirePositive(networkTimeout, "networkTimeout");
            return this;
        }

        /**
         * @param pollTimeout how long to wait for the CA to validate or issue; default 2 minutes
         * @return this builder
         */
        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = InputChecks.requirePositive(pollTimeout, "pollTimeout");
            return this;
        }

        /**
         * Asks the CA for certificates valid this long (the order's {@code notAfter}), for CAs
         * that honour it (Pebble, some private CAs); by default the CA decides. Let's Encrypt refuses orders that set it.
         *
         * @param lifetime the validity to request, positive
         * @return this builder
         */
        public Builder certificateLifetime(Duration lifetime) {
            this.lifetime = InputChecks.requirePositive(lifetime, "certificateLifetime");
            return this;
        }

        /**
         * Asks for an ACME certificate profile such as {@code "classic"}, {@code "tlsserver"} or
         * {@code "shortlived"} (Let's Encrypt), where the CA's directory lists it and an enrollment
         * chose none; elsewhere the CA's default is used and a warning logged.
         *
         * @param profile the profile name
         * @return this builder
         * @throws InvalidInputException if it is not a profile name
         */
        public Builder profile(String profile) {
            this.profile = InputChecks.requireProfile(profile);
            return this;
        }

        /**
         * Fetches each challenge URL the way the CA will before asking the CA to validate, and
         * logs what would make it fail (DNS, firewall, redirects, another server answering). With
         * {@link ChallengeSelfCheck#abortingOnFailure()}, a failure stops the enrollment with
         * {@link SelfCheckFailedException} instead, so no failed validation counts against the
         * CA's limits. Off by default.
         *
         * @param selfCheck the check, such as {@code ChallengeSelfCheck.standard()}
         * @return this builder
         */
        public Builder selfCheck(ChallengeSelfCheck selfCheck) {
            this.selfCheck = Objects.requireNonNull(selfCheck, "selfCheck");
            return this;
        }

        /**
         * Whether each renewal check asks the CA for ACME Renewal Information (RFC 9773) where it
         * offers it; on by default. Off, the {@link RenewalPolicy} alone decides and a check with
         * nothing due makes no network call.
         *
         * @param ask {@code false} to never ask
         * @return this builder
         */
        public Builder renewalInformation(boolean ask) {
            this.renewalInformation = ask;
            return this;
        }

        /**
         * Whether, after a {@link InstallResult#LIVE} install, a TLS handshake with SNI to the HTTPS
         * binding's port on this machine checks that the new certificate is served. If another one is
         * served, the previous certificate is put back, the failure reported, and installing tried
         * again later; where the port cannot be reached locally, nothing is concluded. On by default.
         *
         * @param verify {@code false} to trust the binding provider's answer
         * @return this builder
         */
        public Builder verifyInstallation(boolean verify) {
            this.verifyInstallation = verify;
            return this;
        }

        /**
         * After this many failed validations of a name in a row, automatic renewal of it pauses for a
         * day (shown in the status with the reason) instead of running into the CA's own pause of
         * failing names; {@link AutoCert#renewNow} resumes it at once. Default 5.
         *
         * @param failures at least 1
         * @return this builder
         */
        public Builder pauseAfterFailedValidations(int failures) {
            this.pauseAfterFailedValidations = InputChecks.requireAtLeastOne(failures, "pauseAfterFailedValidations");
            return this;
        }

        /**
         * How many certificates for different names are obtained at once, at most: by the renewal
         * checks (due certificates are worked on by this many threads) and by concurrent calls of
         * {@link AutoCert#enroll} together. The same name is never ordered twice at once, all
         * orders use the one account, and new orders stay under the CA's
         * {@linkplain CertificateAuthority#newOrderLimit() rate limit}. Default
         * {@value AutoCert#DEFAULT_CONCURRENT_ISSUANCE}; 1 obtains one certificate at a time.
         *
         * @param certificates at least 1
         * @return this builder
         * @since 0.2.0
         */
        public Builder concurrentIssuance(int certificates) {
            this.concurrentIssuance = InputChecks.requireAtLeastOne(certificates, "concurrentIssuance");
            return this;
        }

        /**
         * Adds a listener for obtained, installed and failed events; may be called more than once.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(AutoCertListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Runs renewal checks on the host's executor instead of a daemon thread of autocert4j's own.
         * The executor is not shut down by {@link AutoCert#close()}.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder renewalExecutor(ScheduledExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Fills each part not set yet (binding provider, HTTP-01 challenge responder, certificate store,
         * renewal policy) from a plugin found by {@link ServiceLoader}: a class named in
         * {@code META-INF/services/dev.autocert4j.spi.<Interface>} (or the 0.1 name
         * {@code dev.autocert4j.<Interface>}) or provided by a module. Parts set on
         * the builder win. Two plugins for the same part are an error naming both.
         *
         * @param classLoader where to look for plugins
         * @return this builder
         * @throws IllegalStateException if two plugins provide the same part, or one cannot be created
         */
        public Builder loadPlugins(ClassLoader classLoader) {
            Plugins.Filled filled = Plugins.fillIn(Objects.requireNonNull(classLoader, "classLoader"), bindingProvider,
                    solvers, certificateStore, renewalPolicy);
            bindingProvider = filled.bindingProvider();
            certificateStore = filled.store();
            renewalPolicy = filled.renewalPolicy();
            return this;
        }

        /**
         * Chooses the certificate store and challenge solvers by name, from settings such as a
         * command line gives: {@code store} names a {@link dev.autocert4j.spi.CertificateStoreFactory},
         * {@code challenge} one or more {@link dev.autocert4j.spi.ChallengeSolverFactory}s
         * (comma-separated), and each plugin reads the settings that start with its name and a dot
         * ({@code "store", "pkcs12", "pkcs12.folder", "/var/lib/portal/certificates", "challenge",
         * "http-01"}). Plugins chosen here replace a store or solver of the same type set before.
         *
         * @param classLoader where to look for plugins
         * @param settings    the names and settings
         * @return this builder
         * @throws InvalidInputException if a name is unknown (the message lists the known ones), or a
         *                               setting is unknown, missing or wrong
         * @throws IllegalStateException if two plugins of one kind share a name, naming both classes
         * @since 0.2.0
         */
        public Builder plugins(ClassLoader classLoader, Map<String, String> settings) {
            PluginChoice.Chosen chosen = PluginChoice.choose(settings, classLoader);
            chosen.store().ifPresent(store -> this.certificateStore = store);
            solvers.putAll(chosen.solvers());
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * @return the configured {@link AutoCert}
         * @throws IllegalStateException if a required part is missing
         */
        public AutoCert build() {
            renewalPolicy = renewalPolicy == null ? RenewalPolicy.standard() : renewalPolicy;
            InputChecks.requireBuilderParts(certificateAuthorities, bindingProvider, solvers, certificateStore);
            return new AutoCert(this);
        }

        private Engine.Parts parts() {
            return new Engine.Parts(certificateAuthorities.get(0), certificateAuthorities, bindingProvider, solvers,
                    certificateStore, renewalPolicy, clock, keyType, preferredIssuer, networkTimeout, pollTimeout,
                    lifetime, profile, selfCheck, renewalInformation, verifyInstallation, pauseAfterFailedValidations,
                    concurrentIssuance, sleeper, random, listeners, executor, account, InputChecks::requireCertifiableName);
        }
    }
}
