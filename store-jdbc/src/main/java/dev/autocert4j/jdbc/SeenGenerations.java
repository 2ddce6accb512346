package dev.autocert4j.jdbc;

import dev.autocert4j.spi.OwnerOnlyFiles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest generation this node has seen of each row (by kind and name): a sealed row older than
 * that is an old row copied back, a replay. Kept in memory and, when the node keeps a local copy,
 * in a sealed file there ({@code generations.sealed}, 0600), so a node that starts again is not
 * fooled by an old row either. A node without a local copy remembers only what it saw since it
 * started.
 */
final class SeenGenerations {

    private static final Logger LOG = LoggerFactory.getLogger(SeenGenerations.class);
    static final String FILE = "generations.sealed";
    private static final String SEALING_CONTEXT = "local:generations";

    private final Map<String, Long> highest = new ConcurrentHashMap<>();
    /** The highest generation of any row, kept as rows are recorded (a save asks it; no walk over every row). */
    private final AtomicLong highestOfAll = new AtomicLong(-1);
    private final Path file;
    private final StoreKey key;
    private volatile boolean changed;

    /** @param folder the local copy folder, or {@code null} to remember in memory only */
    SeenGenerations(Path folder, StoreKey key) {
        this.file = folder == null ? null : folder.toAbsolutePath().resolve(FILE);
        this.key = key;
        load();
    }

    private static String keyOf(RowSeal.Kind kind, String name) {
        return kind.name() + ":" + name;
    }

    /** @return the highest generation seen of the row, or -1 */
    long highest(RowSeal.Kind kind, String name) {
        return highest.getOrDefault(keyOf(kind, name), -1L);
    }

    /** @return the highest generation seen of any row, or -1 */
    long highestOfAll() {
        return highestOfAll.get();
    }

    /**
     * Records a generation read or written.
     *
     * @return whether it is a replay: older than one seen before (then nothing is recorded)
     */
    boolean isReplay(RowSeal.Kind kind, String name, long generation) {
        boolean[] older = {false};
        highest.compute(keyOf(kind, name), (row, seen) -> {
            if (seen != null && generation < seen) {
                older[0] = true;
                return seen;
            }
            if (seen == null || generation > seen) {
                changed = true;
            }
            return generation;
        });
        if (!older[0]) {
            highestOfAll.accumulateAndGet(generation, Math::max);
        }
        return older[0];
    }

    /** Writes what was recorded since the last call, if this node keeps a local copy. */
    synchronized void persist() {
        if (file == null || !changed) {
            return;
        }
        changed = false;
        Properties all = new Properties();
        highest.forEach((row, generation) -> all.setProperty(row, Long.toString(generation)));
        StringWriter text = new StringWriter();
        try {
            all.store(text, null);
            OwnerOnlyFiles.replace(file, key.seal(text.toString().getBytes(StandardCharsets.UTF_8), SEALING_CONTEXT));
        } catch (IOException e) {
            changed = true;
            LOG.warn("Cannot write this node's record of the generations it has seen to {}; it is tried again at the next"
                    + " change: {}", file, e.toString());
        }
    }

    private void load() {
        if (file == null) {
            return;
        }
        try {
            byte[] sealed = Files.readAllBytes(file);
            Properties all = new Properties();
            all.load(new StringReader(new String(key.open(sealed, SEALING_CONTEXT), StandardCharsets.UTF_8)));
            for (String row : all.stringPropertyNames()) {
                long generation = Long.parseLong(all.getProperty(row));
                highest.put(row, generation);
                highestOfAll.accumulateAndGet(generation, Math::max);
            }
        } catch (NoSuchFileException e) {
            // a new node: nothing seen yet
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warn("This node's record of the generations it has seen, {}, cannot be read ({}); until rows are read"
                    + " again, an older row copied back into the database is not recognized as one", file, e.toString());
        }
    }
}
