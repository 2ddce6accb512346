package dev.autocert4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A module's exported API checked against a text dump kept in the repository ({@code api/<name>.txt}
 * at the project's root): every public and protected declaration of the exported packages, one per line
 * ({@link ExportedSignatures#declarations()}). A change to the API fails the build until the dump is
 * accepted, so every change is seen in review:
 * <pre>{@code
 * ApiDump.assertUnchanged(ExportedSignatures.ofModuleContaining(MyStore.class), "my-store");
 * }</pre>
 * To accept the current API, run the build (or just the module's test) with
 * {@code -Dautocert4j.api.accept}: the dumps are written instead of compared.
 */
public final class ApiDump {

    /** The system property that writes the dumps instead of comparing them. */
    public static final String ACCEPT_PROPERTY = "autocert4j.api.accept";

    private static final String HOW_TO_ACCEPT = "If the change is intended, run\n"
            + "  mvn -B test -Dtest=ModuleBoundaryTest,ApiDumpTest -Dsurefire.failIfNoSpecifiedTests=false -D" + ACCEPT_PROPERTY + "\n"
            + "review the diff of api/*.txt, commit it, and add a CHANGELOG line for anything removed or changed"
            + " (a removal needs a deprecation first).";

    private ApiDump() {
    }

    /**
     * Fails when the module's API differs from its dump, listing what was added and what was removed; writes
     * the dump instead when {@value #ACCEPT_PROPERTY} is set.
     *
     * @param api  the module's exported signatures
     * @param name the dump's name, such as the artifact id
     */
    public static void assertUnchanged(ExportedSignatures api, String name) {
        Objects.requireNonNull(api, "api");
        Path file = apiFolder().resolve(Objects.requireNonNull(name, "name") + ".txt");
        if (System.getProperty(ACCEPT_PROPERTY) != null) {
            write(file, api.declarations());
        } else {
            assertUnchanged(api, file);
        }
    }

    /** Compares, never writes. */
    static void assertUnchanged(ExportedSignatures api, Path file) {
        List<String> current = api.declarations();
        if (!Files.exists(file)) {
            throw new AssertionError("There is no API dump " + file + " for the module " + api.moduleName() + ".\n"
                    + HOW_TO_ACCEPT);
        }
        List<String> accepted = read(file);
        Set<String> removed = new LinkedHashSet<>(accepted);
        current.forEach(removed::remove);
        Set<String> added = new LinkedHashSet<>(current);
        accepted.forEach(added::remove);
        if (!removed.isEmpty() || !added.isEmpty()) {
            List<String> report = new ArrayList<>();
            report.add("The exported API of " + api.moduleName() + " differs from " + file + ":");
            removed.forEach(line -> report.add("  - " + line));
            added.forEach(line -> report.add("  + " + line));
            report.add(HOW_TO_ACCEPT);
            throw new AssertionError(String.join("\n", report));
        }
    }

    /** The project's {@code api} folder: the nearest folder up from the working directory that has one beside a pom.xml. */
    private static Path apiFolder() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            if (Files.isDirectory(folder.resolve("api")) && Files.exists(folder.resolve("pom.xml"))) {
                return folder.resolve("api");
            }
        }
        throw new IllegalStateException("No api/ folder beside a pom.xml above " + Path.of("").toAbsolutePath());
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the API dump " + file, e);
        }
    }

    private static void write(Path file, List<String> lines) {
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the API dump " + file, e);
        }
    }
}
