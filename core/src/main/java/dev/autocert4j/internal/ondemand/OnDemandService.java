package dev.autocert4j.internal.ondemand;

import dev.autocert4j.Binding;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.OnDemandIssuance;
import dev.autocert4j.internal.CertificateKeeper;
import dev.autocert4j.internal.engine.Engine;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.spi.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * On-demand issuance wired into an engine: the key manager asks the gate about names nothing is
 * served for; an allowed name is enrolled (ordered, stored, installed, then renewed as any other);
 * a due on-demand name is renewed only while the guard still allows it, and one refused is no longer
 * served once its certificate has expired. A name whose order failed is not kept under management.
 * An obtained certificate is handed back to the key manager to be loaded lazily, so that, idle, it
 * is let go from memory as the key manager's capacity requires.
 */
public final class OnDemandService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnDemandService.class);

    private final OnDemandIssuance settings;
    private final Engine engine;
    private final BindingProvider bindings;
    private final Clock clock;
    private final CertificateStore store;
    private final ExecutorService executor;
    private final OnDemandGate gate;

    /** Without settings: on-demand issuance off, nothing to close. */
    private OnDemandService() {
        this.settings = null;
        this.engine = null;
        this.bindings = null;
        this.clock = null;
        this.store = null;
        this.executor = null;
        this.gate = null;
    }

    private OnDemandService(OnDemandIssuance settings, Engine engine, BindingProvider bindings, Clock clock,
                            CertificateStore store) {
        this.settings = settings;
        this.engine = engine;
        this.bindings = bindings;
        this.clock = clock;
        this.store = store;
        this.executor = Executors.newCachedThreadPool(NamedThreads.daemon("autocert4j-on-demand"));
        this.gate = new OnDemandGate(settings, this::enroll, executor, clock, this::isConfigured,
                this::onDemandCertificates);
    }

    /**
     * Turns on-demand issuance on for the settings' key manager.
     *
     * @param settings the guard, limits and key manager; {@code null}: on-demand issuance stays off
     * @param engine   what enrolls and renews
     * @param bindings the host's bindings: their names are configured, never on demand
     * @param clock    the time of the refusal memory and the limits
     * @param store    where on-demand certificates are loaded from once they are idle
     * @return the service, to close with the engine
     */
    public static OnDemandService attach(OnDemandIssuance settings, Engine engine, BindingProvider bindings,
                                         Clock clock, CertificateStore store) {
        if (settings == null) {
            return new OnDemandService();
        }
        OnDemandService service = new OnDemandService(settings, engine, bindings, clock, store);
        settings.keyManager().onDemand(service.gate::request, settings.handshakeWait());
        engine.keeper().renewOnlyWhen(service::renewable);
        LOG.info("On-demand issuance is on, guarded by {}, at most {} new names, {} in flight, {} in all",
                settings.guard(), settings.newNames(), settings.namesInFlight(), settings.maxCertificates());
        return service;
    }

    private void enroll(String name) {
        EnrollmentRequest request = settings.challenge() == ChallengeType.HTTP_01
                // the CA validates on plain HTTP port 80; the certificate is served on the HTTPS port
                ? EnrollmentRequest.builder().binding(new Binding("http", name, 80)).httpsPort(settings.httpsPort()).build()
                : EnrollmentRequest.builder().binding(new Binding("https", name, settings.httpsPort()))
                        .challenge(settings.challenge()).build();
        engine.accounts().requireAccountFor(request);
        CertificateKeeper keeper = engine.keeper();
        try {
            keeper.enroll(request);
        } catch (RuntimeException e) {
            letGo(keeper, name);
            throw e;
        }
        store.loadMetadata(name).ifPresent(metadata -> settings.keyManager().putLazily(metadata, () ->
                store.loadCertificate(name).orElseThrow(() -> new CertificateStoreException(
                        "The on-demand certificate for " + name + " is no longer stored", null))));
    }

    /** A failed on-demand name is not tried again in the background: the next handshake asks anew. */
    private static void letGo(CertificateKeeper keeper, String name) {
        try {
            keeper.unmanage(name, false);
        } catch (RuntimeException e) {
            LOG.warn("Could not stop managing {} after its failed on-demand order: {}", name, e.toString());
        }
    }

    private boolean renewable(String name) {
        if (isBindingName(name) || gate.stillAllowed(name)) {
            return true;
        }
        Instant notAfter = engine.keeper().status(name).notAfter();
        if (notAfter != null && !clock.instant().isBefore(notAfter)) {
            try {
                bindings.uninstall(new Binding("https", name, settings.httpsPort()), List.of(name));
                LOG.info("The on-demand certificate for {} has expired and its guard refuses it: no longer served", name);
            } catch (Exception e) {
                LOG.warn("Could not stop serving the expired on-demand certificate for {}: {}", name, e.toString());
            }
        }
        return false;
    }

    private boolean isConfigured(String name) {
        return isBindingName(name) || engine.keeper().managedDomains().contains(name);
    }

    private boolean isBindingName(String name) {
        return bindings.bindings().stream().anyMatch(binding -> binding.host().equalsIgnoreCase(name));
    }

    private int onDemandCertificates() {
        Set<String> names = new HashSet<>(engine.keeper().managedDomains());
        bindings.bindings().forEach(binding -> names.remove(binding.host()));
        return names.size();
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
