package dev.autocert4j.internal.storage;

import dev.autocert4j.ChallengeTokenStore;
import dev.autocert4j.spi.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * HTTP-01 tokens shared through a cluster's storage, so that every node answers the tokens any node
 * published. Each token is an entry sealed with the store key for its own token, holding its answer
 * and when it expires (an hour after it was published; a validation takes seconds): an entry written
 * without the store key, edited, or copied to another token is never answered, nor is one past its
 * time. A withdrawn entry copied back is answered until it expires; it only repeats an answer the CA
 * has already had. Expired entries are deleted whenever a token is published.
 */
final class StorageChallengeTokens implements ChallengeTokenStore {

    private static final Logger LOG = LoggerFactory.getLogger(StorageChallengeTokens.class);
    static final Duration KEEP = Duration.ofHours(1);
    static final String FOLDER = "challenge-tokens/";
    /** RFC 8555 tokens are base64url; anything else is never looked up. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    private final Storage storage;
    private final Entries entries;
    private final Clock clock;

    StorageChallengeTokens(Storage storage, Entries entries, Clock clock) {
        this.storage = storage;
        this.entries = entries;
        this.clock = clock;
    }

    @Override
    public void put(String domain, String token, String keyAuthorization) {
        requireToken(token);
        Objects.requireNonNull(keyAuthorization, "keyAuthorization");
        deleteExpired();
        Map<String, String> fields = new LinkedHashMap<>();
        if (domain != null) {
            fields.put("domain", domain);
        }
        fields.put("key-authorization", keyAuthorization);
        fields.put("expires", clock.instant().plus(KEEP).toString());
        storage.put(FOLDER + token, entries.seal(EntryKind.CHALLENGE_TOKEN, token, 1, fields));
    }

    @Override
    public void remove(String token) {
        if (!isToken(token)) {
            return;
        }
        try {
            storage.delete(FOLDER + token);
        } catch (RuntimeException e) {
            LOG.warn("Could not withdraw a challenge token; it expires within {}: {}", KEEP, e.getMessage());
        }
    }

    @Override
    public Optional<Answer> find(String token) {
        if (!isToken(token)) {
            return Optional.empty();
        }
        return storage.get(FOLDER + token).flatMap(value -> answer(token, value.bytes()));
    }

    /** The entry's answer if a holder of the store key sealed it for this token and it has not expired. */
    private Optional<Answer> answer(String token, byte[] bytes) {
        SealedEntry entry;
        try {
            entry = SealedEntry.parse(bytes);
        } catch (IOException e) {
            return refused(token, "it is not an entry this store wrote");
        }
        if (!entry.verifies(entries.secrets(), EntryKind.CHALLENGE_TOKEN, token)) {
            return refused(token, "its seal does not verify (written, edited or copied without the store key)");
        }
        String keyAuthorization = entry.fields().get("key-authorization");
        if (keyAuthorization == null || !keyAuthorization.startsWith(token + ".")) {
            return refused(token, "its answer is not for this token");
        }
        if (expired(entry)) {
            return Optional.empty();
        }
        return Optional.of(new Answer(entry.fields().get("domain"), keyAuthorization));
    }

    private boolean expired(SealedEntry entry) {
        try {
            return !clock.instant().isBefore(Instant.parse(entry.fields().getOrDefault("expires", "")));
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    private static Optional<Answer> refused(String token, String problem) {
        LOG.warn("A stored HTTP-01 challenge token is not answered: {}", problem);
        LOG.debug("The refused token: {}", token);
        return Optional.empty();
    }

    private void deleteExpired() {
        for (String key : storage.list(FOLDER)) {
            storage.get(key).ifPresent(value -> {
                try {
                    SealedEntry entry = SealedEntry.parse(value.bytes());
                    if (expired(entry)) {
                        storage.delete(key);
                    }
                } catch (IOException e) {
                    storage.delete(key); // not an entry at all: nothing can answer from it
                }
            });
        }
    }

    private static boolean isToken(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    private static void requireToken(String token) {
        if (!isToken(token)) {
            throw new IllegalArgumentException("A challenge token is base64url text of 1 to 256 characters");
        }
    }
}
