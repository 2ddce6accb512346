package dev.autocert4j;

import dev.autocert4j.internal.AcmeIssuer;
import dev.autocert4j.internal.Poller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
public final class AutoCert {

    private static final Logger LOG = LoggerFactory.getLogger(AutoCert.class);

    private final CertificateAuthority certificateAuthority;
    private final BindingProvider bindingProvider;
    private final ChallengeResponder challengeResponder;
    private final CertificateStore certificateStore;
    private final RenewalPolicy renewalPolicy;
    private final Clock clock;
    private final AcmeIssuer issuer;
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();

    /** The outcome of the last attempt for a domain. */
    private record Attempt(Instant at, String error, InstallResult installResult) {
    }

    private AutoCert(Builder builder) {
        this.certificateAuthority = builder.certificateAuthority;
        this.bindingProvider = builder.bindingProvider;
        this.challengeResponder = builder.challengeResponder;
        this.certificateStore = builder.certificateStore;
        this.renewalPolicy = builder.renewalPolicy;
        this.clock = builder.clock;
        Poller poller = new Poller(clock, builder.sleeper, builder.pollTimeout);
        this.issuer = new AcmeIssuer(certificateAuthority, certificateStore, clock, builder.keyType,
                builder.preferredIssuer, builder.networkTimeout, poller);
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
        String domain = request.domain();
        Instant started = clock.instant();
        try {
            IssuedCertificate issued = issuer.obtain(domain, registrationOf(request), challengeResponder);
            certificateStore.saveCertificate(issued);
            InstallResult result = install(request.httpsBinding(), issued);
            attempts.put(domain, new Attempt(started, null, result));
            return status(domain);
        } catch (AutoCertException e) {
            attempts.put(domain, new Attempt(started, e.getMessage(), lastInstallResult(domain)));
            LOG.warn("Could not obtain a certificate for {}: {}", domain, e.getMessage());
            throw e;
        }
    }

    private void requireKnownBinding(Binding binding) {
        List<Binding> known = bindings();
        if (!known.contains(binding)) {
            throw new InvalidInputException("binding", binding.toString(),
                    "is not one of the bindings the server listens on: " + known);
        }
    }

    private static AcmeIssuer.Registration registrationOf(EnrollmentRequest request) {
        return new AcmeIssuer.Registration(request.email(), request.externalAccountKeyId().orElse(null),
                request.externalAccountHmacKey().orElse(null));
    }

    private InstallResult install(Binding httpsBinding, IssuedCertificate issued) {
        InstallResult result;
        try {
            result = bindingProvider.install(httpsBinding, issued);
        } catch (Exception e) {
            throw new AutoCertException("The certificate for " + issued.metadata().domain()
                    + " was obtained and stored, but could not be installed on " + httpsBinding + ": " + e.getMessage(), e);
        }
        if (result == null) {
            throw new AutoCertException("The binding provider " + bindingProvider.getClass().getName()
                    + " returned no install result for " + httpsBinding);
        }
        if (result == InstallResult.RESTART_REQUIRED) {
            LOG.warn("The certificate for {} is installed on {}; the server must restart to serve it",
                    issued.metadata().domain(), httpsBinding);
        } else {
            LOG.info("The certificate for {} is live on {}", issued.metadata().domain(), httpsBinding);
        }
        return result;
    }

    private InstallResult lastInstallResult(String domain) {
        Attempt previous = attempts.get(domain);
        return previous == null ? null : previous.installResult();
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
        String name = domain.toLowerCase(java.util.Locale.ROOT);
        CertificateStatus status = certificateStore.loadCertificate(name)
                .map(IssuedCertificate::metadata)
                .map(metadata -> CertificateStatus.of(metadata)
                        .withNextCheck(clock.instant().plus(renewalPolicy.checkInterval(metadata))))
                .orElseGet(() -> CertificateStatus.none(name));
        Attempt attempt = attempts.get(name);
        if (attempt != null) {
            status = status.withAttempt(attempt.at(), attempt.error()).withInstallResult(attempt.installResult());
        }
        return status;
    }

    /** Builds an {@link AutoCert}. The CA, binding provider, challenge responder and store are required. */
    public static final class Builder {
        private CertificateAuthority certificateAuthority;
        private BindingProvider bindingProvider;
        private ChallengeResponder challengeResponder;
        private CertificateStore certificateStore;
        private RenewalPolicy renewalPolicy = RenewalPolicy.standard();
        private Clock clock = Clock.systemUTC();
        private KeyType keyType = KeyType.EC_P256;
        private String preferredIssuer;
        private Duration networkTimeout = Duration.ofSeconds(30);
        private Duration pollTimeout = Duration.ofMinutes(2);
        private Poller.Sleeper sleeper = Poller.Sleeper.threadSleep();

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
            requireSet(certificateAuthority, "certificateAuthority");
            requireSet(bindingProvider, "bindingProvider");
            requireSet(challengeResponder, "challengeResponder");
            requireSet(certificateStore, "certificateStore");
            return new AutoCert(this);
        }

        private static void requireSet(Object part, String name) {
            if (part == null) {
                throw new IllegalStateException(name + " is required: call AutoCert.builder()." + name + "(...)");
            }
        }
    }
}
