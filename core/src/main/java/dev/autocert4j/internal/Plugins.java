package dev.autocert4j.internal;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.RenewalPolicy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds SPI implementations with {@link ServiceLoader}, loudly when there is more than one. */
public final class Plugins {

    private Plugins() {
    }

    /**
     * @param type        the SPI interface
     * @param classLoader where to look
     * @return the one plugin for the interface, or empty if there is none
     * @throws IllegalStateException if there are several, or the one cannot be created
     */
    public static <T> Optional<T> single(Class<T> type, ClassLoader classLoader) {
        List<ServiceLoader.Provider<T>> found;
        try {
            found = ServiceLoader.load(type, classLoader).stream().toList();
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("A plugin for " + type.getName() + " is misconfigured: " + e.getMessage(), e);
        }
        if (found.size() > 1) {
            throw new IllegalStateException(found.size() + " plugins claim " + type.getName() + ": "
                    + found.stream().map(p -> p.type().getName()).collect(Collectors.joining(" and "))
                    + ". Remove all but one from the class path, or pass the one to use to AutoCert.builder()");
        }
        try {
            return found.stream().findFirst().map(ServiceLoader.Provider::get);
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("The plugin " + found.get(0).type().getName() + " for " + type.getName()
                    + " cannot be created: " + e.getMessage(), e);
        }
    }

    /**
     * @param type        the SPI interface
     * @param formerName  the interface under its former name, still looked for when none is found
     * @param classLoader where to look
     * @return the one plugin, or {@code null} if there is none under either name
     * @throws IllegalStateException if there are several under one name, or the one cannot be created
     */
    public static <T> T single(Class<T> type, Class<? extends T> formerName, ClassLoader classLoader) {
        return single(type, classLoader).or(() -> single(formerName, classLoader).map(type::cast)).orElse(null);
    }

    /** The parts of a builder after {@link #fillIn}: those it had, and plugins for those it lacked. */
    public record Filled(BindingProvider bindingProvider, CertificateStore store, RenewalPolicy renewalPolicy) {
    }

    /**
     * Fills each part a builder has not set from a plugin found by {@link ServiceLoader}, under its
     * SPI name or its 0.1 name; an HTTP-01 responder plugin is added to {@code solvers} when they
     * have none for HTTP-01.
     *
     * @return the parts, the builder's own where it had them
     * @throws IllegalStateException if two plugins provide the same part, or one cannot be created
     */
    @SuppressWarnings("deprecation") // a 0.1 responder, binding provider or policy registered as a plugin keeps working
    public static Filled fillIn(ClassLoader classLoader, BindingProvider bindingProvider,
                                Map<ChallengeType, ChallengeSolver> solvers, CertificateStore store,
                                RenewalPolicy renewalPolicy) {
        if (!solvers.containsKey(ChallengeType.HTTP_01)) {
            single(ChallengeResponder.class, classLoader).ifPresent(responder ->
                    solvers.put(ChallengeType.HTTP_01, ResponderSolver.of(ChallengeType.HTTP_01, responder)));
        }
        return new Filled(
                bindingProvider != null ? bindingProvider
                        : single(BindingProvider.class, dev.autocert4j.BindingProvider.class, classLoader),
                store != null ? store : single(CertificateStore.class, classLoader).orElse(null),
                renewalPolicy != null ? renewalPolicy
                        : single(RenewalPolicy.class, dev.autocert4j.RenewalPolicy.class, classLoader));
    }
}
