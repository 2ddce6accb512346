package dev.autocert4j;

import dev.autocert4j.internal.AcmeIssuer;
import dev.autocert4j.internal.Poller;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * Let's Encrypt (or any ACME CA) for the host's own portal: the one object a host application
 * embeds. Build it with {@link #builder()}, show the admin {@link #bindings()} and
 * {@link #termsOfService()}, then {@link #enroll(EnrollmentRequest)} the binding they chose.
 *
 * <pre>{@code
 * AutoCert autoCert = AutoCert.builder()
 *         .certificateAuthority(CertificateAuthority.letsEncrypt())
 *         .bindingProvider(myServer)
 *         .challengeResponder(http01Responder)
 *         .certificateStore(new Pkcs12CertificateStore(stateDir, password))
 *         .build();
 * CertificateStatus status = autoCert.enroll(EnrollmentRequest.builder()
 *         .binding(Binding.parse("http://portal.example.com:80")).httpsPort(443)
 *         .email("admin@example.com").termsOfServiceAccepted(true).build());
 * }</pre>
 *
 * <p>Thread-safe. Enrollments run one at a time.
 */
public final class AutoCert implements AutoCloseable {

    private final CertificateAuthority certificateAuthority;
    private final BindingProvider bindingProvider;
    private final RenewalPolicy renewalPolicy;
    private final AcmeIssuer issuer;
    private final CertificateKeeper keeper;
    private final RenewalThread renewalThread;

    private AutoCert(Builder builder) {
        this.certificateAuthority = builder.certificateAuthority;
        this.bindingProvider = builder.bindingProvider;
        this.renewalPolicy = builder.renewalPolicy;
        Clock clock = builder.clock;
        Poller poller = new Poller(clock, builder.sleeper, builder.pollTimeout);
        this.issuer = new AcmeIssuer(certificateAuthority, builder.certificateStore, clock, poller,
                new AcmeIssuer.Options(builder.keyType, builder.preferredIssuer, builder.networkTimeout, builder.lifetime,
                        builder.profile, builder.selfCheck));
        this.keeper = new CertificateKeeper(issuer, builder.certificateStore, bindingProvider, builder.challengeResponder,
                renewalPolicy, clock, builder.random, builder.listeners, builder.renewalInformation);
        boolean ownsExecutor = builder.executor == null;
        this.renewalThread = new RenewalThread(keeper, clock,
                ownsExecutor ? newRenewalExecutor() : builder.executor, ownsExecutor);
    }

    private static ScheduledExecutorService newRenewalExecutor() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "autocert4j-renewal");
            thread.setDaemon(true);
            return thread;
        });
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

    /**
     * Lists the bindings the host listens on, for the admin to choose from.
     *
     * @return the host's bindings
     */
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
        return issuer.termsOfService();
    }

    /**
     * Says whether the CA requires external account binding credentials. Calls the CA.
     *
     * @return {@code true} if enrollment needs an EAB key id and HMAC key
     * @throws CertificateAuthorityException if the directory cannot be read
     */
    public boolean externalAccountRequired() {
        return issuer.externalAccountRequired();
    }

    /**
     * Obtains a certificate for the chosen binding and installs it: registers the ACME account (or
     * reuses the stored one), proves control of the domain with HTTP-01, stores the certificate and
     * hands it to the {@link BindingProvider}. Blocks until done.
     *
     * <p>On failure, nothing already stored is deleted or replaced, and the status records the error.
     *
     * @param request what the admin chose
     * @return the status after the certificate was installed
     * @throws InvalidInputException         if the binding is not one the host listens on (checked before any network call)
     * @throws ChallengeFailedException      if the CA could not validate the domain
     * @throws CertificateAuthorityException if the CA refused, failed or could not be reached
     * @throws CertificateStoreException     if the certificate could not be stored
     * @throws AutoCertException             if the binding provider could not install the certificate
     */
    public CertificateStatus enroll(EnrollmentRequest request) {
        Objects.requireNonNull(request, "request");
        requireKnownBinding(request.binding());
        return keeper.enroll(request);
    }

    /**
     * Puts an earlier enrollment under management again, typically at start-up with the choice the
     * host saved: a stored certificate that is still valid is installed at once without calling
     * the CA, and renewal checks follow on {@link #start()}. Without a stored valid certificate the
     * domain is due at the first check.
     *
     * @param request the admin's choice, as for {@link #enroll}
     * @return the status after installing the stored certificate, if any
     * @throws InvalidInputException     if the binding is not one the host listens on
     * @throws CertificateStoreException if the store cannot be read
     * @throws AutoCertException         if the binding provider could not install the stored certificate
     */
    public CertificateStatus manage(EnrollmentRequest request) {
        Objects.requireNonNull(request, "request");
        requireKnownBinding(request.binding());
        return keeper.manage(request);
    }

    /**
     * Renews a managed domain now, whether due or not ("renew now" in the admin's page).
     *
     * @param domain a domain passed to {@link #enroll} or {@link #manage}
     * @return the status after renewal
     * @throws InvalidInputException if the domain is not managed
     * @throws AutoCertException     (or a subclass) if renewal fails; the working certificate stays
     */
    public CertificateStatus renewNow(String domain) {
        Objects.requireNonNull(domain, "domain");
        return keeper.renewNow(domain.toLowerCase(Locale.ROOT));
    }

    /**
     * Runs the renewal checks that are due now by the clock, on the calling thread. The renewal
     * thread started by {@link #start()} calls this; hosts with their own scheduler may call it
     * instead. Failures are recorded in the status and reported to listeners, never thrown.
     */
    public void checkNow() {
        keeper.checkDue();
    }

    /**
     * Starts the renewal thread: it checks each managed domain when due (every 24 hours by default)
     * and renews within the policy's window. Calling it again does nothing.
     */
    public void start() {
        renewalThread.start();
    }

    /** Stops the renewal thread. Installed certificates stay in place. Calling it again does nothing. */
    @Override
    public void close() {
        renewalThread.stop();
    }

    /** @return the domains under management (enrolled or managed), in no particular order */
    public List<String> managedDomains() {
        return keeper.managedDomains();
    }

    private void requireKnownBinding(Binding binding) {
        List<Binding> known = bindingProvider.bindings();
        if (!known.contains(binding)) {
            throw new InvalidInputException("binding", binding.toString(),
                    "is not one of the bindings the server listens on: " + known);
        }
    }

    /**
     * Reports a domain's certificate: last renewed, expiry, and the outcome of the last attempt.
     * Reads the store only; never calls the CA.
     *
     * @param domain the DNS name
     * @return the status, {@link CertificateStatus#none(String) empty} if nothing is stored
     * @throws CertificateStoreException if the store cannot be read
     */
    public CertificateStatus status(String domain) {
        Objects.requireNonNull(domain, "domain");
        return keeper.status(domain.toLowerCase(Locale.ROOT));
    }

    /** Builds an {@link AutoCert}. The CA, binding provider, challenge responder and store are required. */
    public static final class Builder {
        private CertificateAuthority certificateAuthority;
        private BindingProvider bindingProvider;
        private ChallengeResponder challengeResponder;
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
        private Poller.Sleeper sleeper = Poller.Sleeper.threadSleep();
        private RandomGenerator random = new SplittableRandom();
        private final List<AutoCertListener> listeners = new ArrayList<>();
        private ScheduledExecutorService executor;

        private Builder() {
        }

        /**
         * @param certificateAuthority where certificates come from, such as {@link CertificateAuthority#letsEncrypt()}
         * @return this builder
         */
        public Builder certificateAuthority(CertificateAuthority certificateAuthority) {
            this.certificateAuthority = Objects.requireNonNull(certificateAuthority, "certificateAuthority");
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
         * @param challengeResponder answers HTTP-01 challenges on port 80
         * @return this builder
         */
        public Builder challengeResponder(ChallengeResponder challengeResponder) {
            this.challengeResponder = Objects.requireNonNull(challengeResponder, "challengeResponder");
            return this;
        }

        /**
         * @param certificateStore where accounts and certificates are kept
         * @return this builder
         */
        public Builder certificateStore(CertificateStore certificateStore) {
            this.certificateStore = Objects.requireNonNull(certificateStore, "certificateStore");
            return this;
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
         * @param keyType the key type of new certificates; default {@link KeyType#EC_P256}
         * @return this builder
         */
        public Builder keyType(KeyType keyType) {
            this.keyType = Objects.requireNonNull(keyType, "keyType");
            return this;
        }

        /**
         * Prefers the chain whose issuer has this common name, where the CA offers alternates.
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
            this.networkTimeout = requirePositive(networkTimeout, "networkTimeout");
            return this;
        }

        /**
         * @param pollTimeout how long to wait for the CA to validate or issue; default 2 minutes
         * @return this builder
         */
        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = requirePositive(pollTimeout, "pollTimeout");
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
            this.lifetime = requirePositive(lifetime, "certificateLifetime");
            return this;
        }

        /**
         * Asks for an ACME certificate profile such as {@code "classic"}, {@code "tlsserver"} or
         * {@code "shortlived"} (Let's Encrypt), where the CA's directory lists it; elsewhere the
         * CA's default is used and a warning logged.
         *
         * @param profile the profile name
         * @return this builder
         */
        public Builder profile(String profile) {
            Objects.requireNonNull(profile, "profile");
            if (!profile.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new InvalidInputException("profile", profile, "is not an ACME profile name such as 'shortlived'");
            }
            this.profile = profile;
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
         * Fills each part not set yet (binding provider, challenge responder, certificate store,
         * renewal policy) from a plugin found by {@link ServiceLoader}: a class named in
         * {@code META-INF/services/dev.autocert4j.<Interface>} or provided by a module. Parts set on
         * the builder win. Two plugins for the same part are an error naming both.
         *
         * @param classLoader where to look for plugins
         * @return this builder
         * @throws IllegalStateException if two plugins provide the same part, or one cannot be created
         */
        public Builder loadPlugins(ClassLoader classLoader) {
            Objects.requireNonNull(classLoader, "classLoader");
            if (bindingProvider == null) {
                bindingProvider = Plugins.single(BindingProvider.class, classLoader).orElse(null);
            }
            if (challengeResponder == null) {
                challengeResponder = Plugins.single(ChallengeResponder.class, classLoader).orElse(null);
            }
            if (certificateStore == null) {
                certificateStore = Plugins.single(CertificateStore.class, classLoader).orElse(null);
            }
            if (renewalPolicy == null) {
                renewalPolicy = Plugins.single(RenewalPolicy.class, classLoader).orElse(null);
            }
            return this;
        }

        Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        Builder sleeper(Poller.Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        private static Duration requirePositive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new InvalidInputException(name, duration.toString(), "must be positive");
            }
            return duration;
        }

        /**
         * @return the configured {@link AutoCert}
         * @throws IllegalStateException if a required part is missing
         */
        public AutoCert build() {
            if (renewalPolicy == null) {
                renewalPolicy = RenewalPolicy.standard();
            }
            requireSet(certificateAuthority, "certificateAuthority");
            requireSet(bindingProvider, "bindingProvider");
            requireSet(challengeResponder, "challengeResponder");
            requireSet(certificateStore, "certificateStore");
            return new AutoCert(this);
        }

        private static void requireSet(Object part, String name) {
            if (part == null) {
                throw new IllegalStateException(name + " is required: call AutoCert.builder()." + name
                        + "(...), or install a plugin for it and call loadPlugins(..)");
            }
        }
    }
}
