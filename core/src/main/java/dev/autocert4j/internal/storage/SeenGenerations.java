package dev.autocert4j.internal.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The highest generation this node has seen of each entry (by kind and name), read or written: a
 * sealed entry older than that is an old entry copied back, a replay. Kept in memory, so a node
 * remembers what it saw since it started.
 */
final class SeenGenerations {

    private final Map<String, Long> highest = new ConcurrentHashMap<>();

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
        highest.merge(keyOf(kind, name), generation, (seen, given) -> {
            older[0] = given < seen;
            return Math.max(seen, given);
        });
        return older[0];
    }
}
