package dev.autocert4j.internal.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How this store trusts what the storage returns: each entry is parsed, checked against its seal for
 * the kind and name it was asked for, and against the highest generation this node has seen of it,
 * before anything in it is used. A refusal is an {@link EntryRefusedException}, logged once per entry
 * and problem; a good entry again lets a later refusal be logged again.
 */
final class Entries {

    private static final Logger LOG = LoggerFactory.getLogger(Entries.class);
    private static final int MAX_REMEMBERED_REFUSALS = 1000;

    private final StoreSecrets secrets;
    private final SeenGenerations seen;
    private final Map<String, String> reported = new ConcurrentHashMap<>();

    /**
     * @param secrets         the store key's uses
     * @param seenGenerations where this node keeps the generations it has seen across restarts, or {@code null}
     */
    Entries(StoreSecrets secrets, java.nio.file.Path seenGenerations) {
        this.secrets = secrets;
        this.seen = new SeenGenerations(seenGenerations, secrets);
    }

    StoreSecrets secrets() {
        return secrets;
    }

    /** @return the bytes of a new entry; its generation is recorded as seen once {@link #wrote} is called */
    byte[] seal(EntryKind kind, String name, long generation, Map<String, String> fields) {
        return SealedEntry.sealed(secrets, kind, name, generation, fields).toBytes();
    }

    /** Records a generation this node wrote, so that an older entry copied back over it is recognized. */
    void wrote(EntryKind kind, String name, long generation) {
        seen.isReplay(kind, name, generation);
    }

    /** @return the generation a write of the entry takes: above every one seen and the stored one */
    long nextGeneration(EntryKind kind, String name, byte[] stored) {
        long base = seen.highest(kind, name);
        if (stored != null) {
            try {
                SealedEntry current = SealedEntry.parse(stored);
                if (current.verifies(secrets, kind, name)) {
                    base = Math.max(base, current.generation());
                }
            } catch (IOException e) {
                // a damaged entry is replaced; its generation means nothing
            }
        }
        return base + 1;
    }

    /**
     * @param kind  what the entry must be
     * @param name  the name it was asked for
     * @param bytes what the storage returned
     * @return the entry, sealed for this kind and name and not older than one seen
     * @throws EntryRefusedException otherwise
     */
    SealedEntry verified(EntryKind kind, String name, byte[] bytes) {
        SealedEntry entry;
        try {
            entry = SealedEntry.parse(bytes);
        } catch (IOException e) {
            throw refused(kind, name, "it is not an entry this store wrote, or it was cut short (" + e.getMessage() + ")",
                    null);
        }
        if (!entry.verifies(secrets, kind, name)) {
            throw refused(kind, name, "its seal does not verify: it was edited, or copied from another name or kind,"
                    + " by someone without the store key, or sealed with another store key than this node's ("
                    + secrets.fingerprint() + ")", null);
        }
        long highest = seen.highest(kind, name);
        if (seen.isReplay(kind, name, entry.generation())) {
            throw refused(kind, name, "it is generation " + entry.generation() + ", older than generation " + highest
                    + " this node has already seen: an older entry copied back", null);
        }
        reported.remove(kind + ":" + name);
        return entry;
    }

    /** @return the refusal of an entry whose content does not hold, logged once per entry and problem */
    EntryRefusedException refused(EntryKind kind, String name, String problem, Throwable cause) {
        String message = "The stored " + kind.name().toLowerCase(Locale.ROOT) + " of " + name + " is refused: "
                + problem + ". It is treated as missing until it is saved again.";
        if (reported.size() > MAX_REMEMBERED_REFUSALS) {
            reported.clear(); // a flood of forged entries is not remembered without bound
        }
        if (!message.equals(reported.put(kind + ":" + name, message))) {
            LOG.warn("{}", message);
        }
        return new EntryRefusedException(message, cause);
    }
}
