package dev.autocert4j.internal.engine;

import dev.autocert4j.AccountRegistration;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.ChallengeSelfCheck;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.KeyType;
import dev.autocert4j.internal.AccountChecks;
import dev.autocert4j.internal.CertificateKeeper;
import dev.autocert4j.internal.ChallengeChooser;
import dev.autocert4j.internal.FallbackIssuer;
import dev.autocert4j.internal.InstallVerifier;
import dev.autocert4j.internal.Issuer;
import dev.autocert4j.internal.RenewalThread;
import dev.autocert4j.internal.Sleeper;
import dev.autocert4j.internal.TlsInstallVerifier;
import dev.autocert4j.internal.acme.AcmeIssuer;
import dev.autocert4j.internal.acme.Poller;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.NamedThreads;
import dev.autocert4j.spi.RenewalPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * The engine behind the {@code AutoCert} facade: wires the issuer, the keeper, the challenge
 * chooser and the renewal thread from the builder's parts, and runs their life cycle (resume,
 * start, watch the store, close). The facade checks input and hands calls on.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final Duration INSTALL_CHECK_TIMEOUT = Duration.ofSeconds(2);

    /**
     * Everything the builder collected; {@code executor} and {@code account} may be {@code null};
     * {@code certificateAuthorities} is the whole list in order, {@code certificateAuthority} its first.
     */
    public record Parts(CertificateAuthority certificateAuthority, List<CertificateAuthority> certificateAuthorities,
                        BindingProvider bindingProvider,
                        Map<ChallengeType, ChallengeSolver> solvers, CertificateStore store, RenewalPolicy renewalPolicy,
                        Clock clock, KeyType keyType, String preferredIssuer, Duration networkTimeout,
                        Duration pollTimeout, Duration lifetime, String profile, ChallengeSelfCheck selfCheck,
                        boolean renewalInformation, boolean verifyInstallation, int pauseAfterFailedValidations,
                        int concurrentIssuance, Sleeper sleeper, RandomGenerator random,
                        List<AutoCertListener> listeners, ScheduledExecutorService executor,
                        AccountRegistration account, ChallengeChooser.NameRule nameRule) {
    }

    private final CertificateStore store;
    private final AcmeIssuer issuer;
    private final AccountChecks accounts;
    private final CertificateKeeper keeper;
    private final ChallengeChooser chooser;
    private final RenewalThread renewalThread;
    private boolean resumed;
    private AutoCloseable watch;

    /** @param parts the builder's parts, checked by it */
    public Engine(Parts parts) {
        this.store = parts.store();
        this.chooser = new ChallengeChooser(parts.solvers(),
                parts.selfCheck() != null ? parts.selfCheck() : ChallengeSelfCheck.standard(), parts.nameRule());
        Poller poller = new Poller(parts.clock(), parts.sleeper(), parts.pollTimeout());
        this.issuer = issuerAt(parts.certificateAuthority(), parts, poller);
        this.accounts = new AccountChecks(parts.certificateAuthority(), issuer,
                parts.certificateAuthority().account().orElse(parts.account()));
        InstallVerifier verifier = parts.verifyInstallation() ? new TlsInstallVerifier(INSTALL_CHECK_TIMEOUT)
                : InstallVerifier.none();
        this.keeper = new CertificateKeeper(everyIssuer(parts, poller), store, parts.bindingProvider(), parts.solvers(),
                new CertificateKeeper.Settings(parts.renewalPolicy(), parts.clock(), parts.random(), parts.listeners(),
                        parts.renewalInformation(), parts.pauseAfterFailedValidations(), parts.keyType(),
                        parts.profile(), verifier, parts.sleeper(), parts.concurrentIssuance()));
        boolean ownsExecutor = parts.executor() == null;
        this.renewalThread = new RenewalThread(keeper, parts.clock(),
                ownsExecutor ? Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("autocert4j-renewal"))
                        : parts.executor(), ownsExecutor);
        if (!store.keepsEnrollments()) {
            LOG.warn("The certificate store {} keeps no enrollments, so start() cannot resume them: call"
                    + " manage(request) for each at every start", store.getClass().getName());
        }
    }

    /** The issuer at one CA, with the account set for it, or else the one set on the builder. */
    private AcmeIssuer issuerAt(CertificateAuthority ca, Parts parts, Poller poller) {
        return new AcmeIssuer(ca, store, parts.clock(), poller, new AcmeIssuer.Options(parts.preferredIssuer(),
                parts.networkTimeout(), parts.lifetime(), parts.selfCheck(), ca.account().orElse(parts.account())));
    }

    /** The first CA's issuer alone, or every CA's in order where several are given. */
    private Issuer everyIssuer(Parts parts, Poller poller) {
        if (parts.certificateAuthorities().size() <= 1) {
            return issuer;
        }
        List<FallbackIssuer.Candidate> candidates = new ArrayList<>();
        candidates.add(new FallbackIssuer.Candidate(parts.certificateAuthority(), issuer));
        parts.certificateAuthorities().stream().skip(1)
                .forEach(ca -> candidates.add(new FallbackIssuer.Candidate(ca, issuerAt(ca, parts, poller))));
        return new FallbackIssuer(candidates, parts.renewalPolicy(), parts.clock());
    }

    /** @return the first CA's ACME side: account, terms, orders, revocation */
    public AcmeIssuer issuer() {
        return issuer;
    }

    /** @return the account checks made before any network call */
    public AccountChecks accounts() {
        return accounts;
    }

    /** @return what keeps every managed certificate */
    public CertificateKeeper keeper() {
        return keeper;
    }

    /** @return what tries each challenge type before the CA is asked */
    public ChallengeChooser chooser() {
        return chooser;
    }

    /** Resumes the stored enrollments, watches the store and starts the renewal thread; again does nothing. */
    public synchronized void start() {
        resume();
        if (watch == null) {
            watch = watchStore();
        }
        renewalThread.start();
    }

    /** A shared store tells when another server saved a certificate; it is installed here then. */
    private AutoCloseable watchStore() {
        try {
            return store.watch(keeper::storedCertificateChanged);
        } catch (RuntimeException e) {
            LOG.warn("The certificate store {} cannot be watched; certificates other servers store are installed"
                    + " at the next check: {}", store.getClass().getName(), e.toString());
            return () -> { };
        }
    }

    /**
     * @return the domains resumed by this call; empty if they were resumed before
     * @throws IllegalStateException if the engine was closed
     */
    public synchronized List<String> resume() {
        if (renewalThread.isClosed()) {
            throw new IllegalStateException("This AutoCert is closed; build a new one to start again");
        }
        if (resumed) {
            return List.of();
        }
        List<String> names = keeper.resume();
        if (!names.isEmpty()) {
            LOG.info("Resumed {} stored enrollment(s): {}", names.size(), names);
        }
        resumed = true;
        return names;
    }

    /** Stops the renewal thread and the store's watch for good. */
    @Override
    public void close() {
        renewalThread.stop();
        keeper.close();
        AutoCloseable stopWatching;
        synchronized (this) {
            stopWatching = watch;
            watch = null;
        }
        if (stopWatching != null) {
            try {
                stopWatching.close();
            } catch (Exception e) {
                LOG.warn("Could not stop watching the certificate store: {}", e.toString());
            }
        }
    }
}
