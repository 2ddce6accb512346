package dev.autocert4j.internal;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.CertificateStoreFactory;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.ChallengeSolverFactory;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.spi.PluginFactory;
import dev.autocert4j.spi.PluginSettings;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The plugins a settings map chooses: {@code store} names a store factory, {@code challenge} one or
 * more challenge solver factories (comma-separated), and each chosen plugin reads the settings
 * {@code <its name>.<setting>}. A setting no chosen plugin reads is refused.
 */
public final class PluginChoice {

    /** The setting that names the store. */
    public static final String STORE = "store";
    /** The setting that names the challenge solvers. */
    public static final String CHALLENGE = "challenge";

    private final Map<String, String> settings;
    private final ClassLoader classLoader;
    private final Set<String> read = new HashSet<>(Set.of(STORE, CHALLENGE));

    private PluginChoice(Map<String, String> settings, ClassLoader classLoader) {
        this.settings = Map.copyOf(settings);
        this.classLoader = classLoader;
    }

    /** What the settings choose. */
    public record Chosen(Optional<CertificateStore> store, Map<ChallengeType, ChallengeSolver> solvers) {
    }

    /**
     * @throws InvalidInputException if a name or a setting is unknown, or a setting missing or wrong
     */
    public static Chosen choose(Map<String, String> settings, ClassLoader classLoader) {
        Objects.requireNonNull(classLoader, "classLoader");
        return new PluginChoice(Objects.requireNonNull(settings, "settings"), classLoader).choose();
    }

    private Chosen choose() {
        Optional<CertificateStore> store = Optional.ofNullable(settings.get(STORE)).filter(name -> !name.isBlank())
                .map(name -> create(NamedPlugins.find(CertificateStoreFactory.class, name, classLoader)));
        Map<ChallengeType, ChallengeSolverFactory> factories = new EnumMap<>(ChallengeType.class);
        for (String name : names(settings.getOrDefault(CHALLENGE, ""))) {
            ChallengeSolverFactory factory = NamedPlugins.find(ChallengeSolverFactory.class, name, classLoader);
            ChallengeSolverFactory before = factories.put(factory.challengeType(), factory);
            if (before != null) {
                throw new InvalidInputException(CHALLENGE, settings.get(CHALLENGE), "names two solvers for "
                        + factory.challengeType().acmeName() + ": " + before.name() + " and " + factory.name());
            }
        }
        Map<ChallengeType, ChallengeSolver> solvers = new EnumMap<>(ChallengeType.class);
        factories.forEach((type, factory) -> solvers.put(type, solverOf(factory)));
        requireAllRead();
        return new Chosen(store, Map.copyOf(solvers));
    }

    private ChallengeSolver solverOf(ChallengeSolverFactory factory) {
        ChallengeSolver solver = create(factory);
        if (solver.type() != factory.challengeType()) {
            throw new IllegalStateException("The challenge plugin " + factory.getClass().getName() + " ("
                    + factory.name() + ") says it makes " + factory.challengeType().acmeName() + " solvers but made "
                    + solver.getClass().getName() + " for " + solver.type().acmeName());
        }
        return solver;
    }

    private <T> T create(PluginFactory<T> factory) {
        String prefix = factory.name() + ".";
        Map<String, String> own = new HashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                own.put(key.substring(prefix.length()), value);
                read.add(key);
            }
        });
        return factory.create(PluginSettings.of(factory.name(), own).requireOnly(factory.settings()));
    }

    private void requireAllRead() {
        for (String key : settings.keySet()) {
            if (!read.contains(key)) {
                throw new InvalidInputException(key, null, "is read by no chosen plugin (settings are "
                        + "'<plugin name>.<setting>' for the plugins named by '" + STORE + "' and '" + CHALLENGE + "')");
            }
        }
    }

    private static Set<String> names(String list) {
        Set<String> names = new java.util.LinkedHashSet<>();
        Arrays.stream(list.split(",")).map(String::strip).filter(name -> !name.isEmpty()).forEach(names::add);
        return names;
    }
}
