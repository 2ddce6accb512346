package dev.autocert4j.internal.ondemand;

import dev.autocert4j.OnDemandGuard;
import dev.autocert4j.OnDemandIssuance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * Decides, once per name however many handshakes ask, whether a certificate is obtained for a name
 * nothing is served for: the name checks, the memory of refused and failed names, the names in
 * flight, the guard, the budget of new names and the total, then the order. Every step before the
 * guard refuses without calling anyone; an error anywhere refuses, never allows.
 */
public final class OnDemandGate {

    private static final Logger LOG = LoggerFactory.getLogger(OnDemandGate.class);

    /** Obtains, stores and installs a certificate for an allowed name; throws if it could not. */
    @FunctionalInterface
    public interface Obtainer {
        /** @param name the allowed name */
        void obtain(String name) throws Exception;
    }

    private final OnDemandGuard guard;
    private final Obtainer obtainer;
    private final Executor executor;
    private final NameHygiene hygiene;
    private final RefusedNames refused;
    private final NewNameBudget budget;
    private final int namesInFlight;
    private final int maxCertificates;
    private final IntSupplier onDemandCertificates;
    private final Map<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param settings             the guard and limits
     * @param obtainer             orders an allowed name
     * @param executor             runs the guard and the order, off the handshake thread
     * @param clock                the time of the refusal memory and the budget
     * @param configured           whether a name is one the host configured (bindings, enrollments)
     * @param onDemandCertificates how many on-demand certificates are managed now
     */
    public OnDemandGate(OnDemandIssuance settings, Obtainer obtainer, Executor executor, Clock clock,
                        Predicate<String> configured, IntSupplier onDemandCertificates) {
        this.guard = settings.guard();
        this.obtainer = obtainer;
        this.executor = executor;
        this.hygiene = new NameHygiene(settings.ownDomains(), configured);
        this.refused = new RefusedNames(clock, settings.refusalMemory(), settings.refusalMemorySize());
        this.budget = new NewNameBudget(clock, settings.newNames());
        this.namesInFlight = settings.namesInFlight();
        this.maxCertificates = settings.maxCertificates();
        this.onDemandCertificates = onDemandCertificates;
    }

    /**
     * Starts deciding on a name, or joins the decision already under way for it.
     *
     * @param requested the name a TLS client asked for
     * @return completes with {@code true} once the certificate is installed, {@code false} if refused or failed
     */
    public CompletableFuture<Boolean> request(String requested) {
        String name = requested == null ? null : requested.toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
        Optional<String> refusal = hygiene.refusal(name);
        if (refusal.isPresent()) {
            LOG.debug("On-demand issuance refuses {}: {}", requested, refusal.get());
            return CompletableFuture.completedFuture(false);
        }
        if (refused.contains(name)) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> decision = new CompletableFuture<>();
        CompletableFuture<Boolean> underWay = inFlight.putIfAbsent(name, decision);
        if (underWay != null) {
            return underWay;
        }
        if (inFlight.size() > namesInFlight) {
            inFlight.remove(name, decision);
            LOG.warn("On-demand issuance refuses {} for now: {} names are in flight already", name, namesInFlight);
            decision.complete(false);
            return decision;
        }
        try {
            executor.execute(() -> decide(name, decision));
        } catch (RuntimeException e) {
            inFlight.remove(name, decision);
            decision.complete(false);
        }
        return decision;
    }

    /** @return whether the guard allows the name now (for renewals); an error refuses */
    public boolean stillAllowed(String name) {
        return hygiene.refusal(name).isEmpty() && asksGuard(name);
    }

    private void decide(String name, CompletableFuture<Boolean> decision) {
        boolean obtained = false;
        try {
            obtained = allowedWithinLimits(name) && obtain(name);
        } finally {
            inFlight.remove(name, decision); // first: a handshake after the outcome never joins a finished decision
            decision.complete(obtained);
        }
    }

    private boolean allowedWithinLimits(String name) {
        if (!asksGuard(name)) {
            refused.remember(name);
            return false;
        }
        if (onDemandCertificates.getAsInt() >= maxCertificates) {
            LOG.warn("On-demand issuance refuses {}: {} on-demand certificates are managed, the most allowed", name,
                    maxCertificates);
            return false;
        }
        if (!budget.tryTake()) {
            LOG.warn("On-demand issuance refuses {} for now: the budget of new names per period is spent", name);
            return false;
        }
        return true;
    }

    private boolean asksGuard(String name) {
        try {
            return guard.allows(name);
        } catch (Exception | LinkageError e) {
            LOG.warn("The on-demand guard failed on {}, so it is refused: {}", name, e.toString());
            return false;
        }
    }

    private boolean obtain(String name) {
        try {
            LOG.info("On-demand issuance: the guard allows {}; obtaining its certificate", name);
            obtainer.obtain(name);
            return true;
        } catch (Exception e) {
            LOG.warn("On-demand issuance of {} failed; it is refused for a while: {}", name, e.getMessage());
            refused.remember(name);
            return false;
        }
    }
}
