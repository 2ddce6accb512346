package dev.autocert4j.internal.storage;

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

/**
 * The highest generation this node has seen of each entry (by kind and name), read or written: a
 * sealed entry older than that is an old entry copied back, a replay. Kept in memory and, when a file
 * is given, in that file (encrypted with the store key, 0600, replaced atomically at each change), so
 * a node that starts again is not fooled by an old entry either. Without a file a node remembers only
 * what it saw since it started.
 */
final class SeenGenerations {

    private static final Logger LOG = LoggerFactory.getLogger(SeenGenerations.class);
    private static final String CONTEXT = "local:seen-generations";

    private final Map<String, Long> highest = new ConcurrentHashMap<>();
    private final Path file;
    private final StoreSecrets secrets;

    /**
     * @param file    where to keep what was seen across restarts, or {@code null}
     * @param secrets what encrypts the file
     */
    SeenGenerations(Path file, StoreSecrets secrets) {
        this.file = file == null ? null : file.toAbsolutePath();
        this.secrets = secrets;
        load();
    }

    private static String keyOf(EntryKind kind, String name) {
        return kind.name() + ":" + name;
    }

    /** @return the highest generation seen of the entry, or 0 */
    long highest(EntryKind kind, String name) {
        return highest.getOrDefault(keyOf(kind, name), 0L);
    }

    /**
     * Records a generation read or written.
     *
     * @return whether it is a replay: older than one seen before (then nothing is recorded)
     */
    boolean isReplay(EntryKind kind, String name, long generation) {
        boolean[] older = {false};
        boolean[] changed = {false};
        highest.compute(keyOf(kind, name), (entry, seen) -> {
            if (seen != null && generation < seen) {
                older[0] = true;
                return seen;
            }
            changed[0] = seen == null || generation > seen;
            return generation;
        });
        if (changed[0]) {
            persist();
        }
        return older[0];
    }

    private synchronized void persist() {
        if (file == null) {
            return;
        }
        Properties all = new Properties();
        highest.forEach((entry, generation) -> all.setProperty(entry, Long.toString(generation)));
        StringWriter text = new StringWriter();
        try {
            all.store(text, null);
            OwnerOnlyFiles.replace(file, secrets.encrypt(text.toString().getBytes(StandardCharsets.UTF_8), CONTEXT));
        } catch (IOException e) {
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
            all.load(new StringReader(new String(secrets.decrypt(sealed, CONTEXT), StandardCharsets.UTF_8)));
            for (String entry : all.stringPropertyNames()) {
                highest.put(entry, Long.parseLong(all.getProperty(entry)));
            }
        } catch (NoSuchFileException e) {
            // a new node: nothing seen yet
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warn("This node's record of the generations it has seen, {}, cannot be read ({}); until entries are read"
                    + " again, an older entry copied back into the storage is not recognized as one", file, e.toString());
        }
    }
}
