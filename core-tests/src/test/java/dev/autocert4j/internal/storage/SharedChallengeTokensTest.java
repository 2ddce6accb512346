package dev.autocert4j.internal.storage;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.ChallengeTokenStore;
import dev.autocert4j.ChallengeTokenStore.Answer;
import dev.autocert4j.RenewalLock;
import dev.autocert4j.spi.Storage;
import dev.autocert4j.testkit.InMemoryStorage;
import dev.autocert4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP-01 tokens shared through a cluster's storage, as a database writer who lacks the store key
 * attacks them: forged, edited, copied to another token, kept past their time.
 */
class SharedChallengeTokensTest {

    private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
    private static final String OTHER_TOKEN = "DGyRejmCefe7v4NfDGDKfA";
    private static final String KEY_AUTHORIZATION = TOKEN + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

    private final InMemoryStorage bytes = new InMemoryStorage();
    private final Storage shared = new SharedStorage(bytes);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));

    private CertificateStore node(byte keyByte) {
        byte[] key = new byte[32];
        Arrays.fill(key, keyByte);
        return new StorageCertificateStore(shared, key, "key-" + keyByte, null, clock);
    }

    private ChallengeTokenStore tokens(CertificateStore store) {
        return store.sharedChallengeTokens().orElseThrow();
    }

    @Test
    void aTokenOneNodePublishesIsAnsweredByAnotherNodeWithTheSameStoreKey() {
        tokens(node((byte) 1)).put("portal.example.com", TOKEN, KEY_AUTHORIZATION);

        assertThat(tokens(node((byte) 1)).find(TOKEN)).contains(new Answer("portal.example.com", KEY_AUTHORIZATION));
    }

    @Test
    void aStoreOnAStorageOfOneProcessSharesNoTokens() {
        assertThat(new StorageCertificateStore(bytes, new byte[32], "k", null, clock).sharedChallengeTokens()).isEmpty();
    }

    @Test
    void aWithdrawnTokenIsNoLongerAnswered() {
        ChallengeTokenStore tokens = tokens(node((byte) 1));
        tokens.put("portal.example.com", TOKEN, KEY_AUTHORIZATION);

        tokens.remove(TOKEN);
        tokens.remove(TOKEN);

        assertThat(tokens.find(TOKEN)).isEmpty();
    }

    @Test
    void aTokenWrittenWithoutTheStoreKeyIsNeverAnswered() {
        tokens(node((byte) 2)).put("evil.example.com", TOKEN, KEY_AUTHORIZATION); // another store key: a forger's

        assertThat(tokens(node((byte) 1)).find(TOKEN)).isEmpty();
    }

    @Test
    void aTokenEntryEditedOrCutShortIsNeverAnswered() {
        tokens(node((byte) 1)).put("portal.example.com", TOKEN, KEY_AUTHORIZATION);
        byte[] stored = bytes.get(StorageChallengeTokens.FOLDER + TOKEN).orElseThrow().bytes();

        byte[] edited = stored.clone();
        edited[edited.length / 2] ^= 1;
        bytes.put(StorageChallengeTokens.FOLDER + TOKEN, edited);
        assertThat(tokens(node((byte) 1)).find(TOKEN)).as("edited").isEmpty();

        bytes.put(StorageChallengeTokens.FOLDER + TOKEN, Arrays.copyOf(stored, stored.length - 5));
        assertThat(tokens(node((byte) 1)).find(TOKEN)).as("cut short").isEmpty();
    }

    @Test
    void aTokenEntryCopiedToAnotherTokenIsNeverAnswered() {
        tokens(node((byte) 1)).put("portal.example.com", TOKEN, KEY_AUTHORIZATION);
        byte[] stored = bytes.get(StorageChallengeTokens.FOLDER + TOKEN).orElseThrow().bytes();

        bytes.put(StorageChallengeTokens.FOLDER + OTHER_TOKEN, stored);

        assertThat(tokens(node((byte) 1)).find(OTHER_TOKEN)).isEmpty();
    }

    @Test
    void aTokenIsAnsweredForAnHourAndThenNeverAgainAndIsDeletedAtTheNextPublication() {
        ChallengeTokenStore tokens = tokens(node((byte) 1));
        tokens.put("portal.example.com", TOKEN, KEY_AUTHORIZATION);

        clock.advance(Duration.ofMinutes(59));
        assertThat(tokens.find(TOKEN)).isPresent();

        clock.advance(Duration.ofMinutes(1));
        assertThat(tokens.find(TOKEN)).isEmpty();

        tokens.put("other.example.com", OTHER_TOKEN, OTHER_TOKEN + ".thumbprint");
        assertThat(bytes.list(StorageChallengeTokens.FOLDER)).containsExactly(StorageChallengeTokens.FOLDER + OTHER_TOKEN);
    }

    @Test
    void aRequestForSomethingThatIsNotATokenNeverReachesTheStorage() {
        Storage watched = new SharedStorage(bytes) {
            @Override
            public Optional<Value> get(String key) {
                throw new AssertionError("the storage was asked for " + key);
            }
        };
        ChallengeTokenStore tokens = new StorageCertificateStore(watched, new byte[32], "k", null, clock)
                .sharedChallengeTokens().orElseThrow();

        for (String junk : List.of("", "../accounts/x", "a/b", "a b", "x".repeat(300), "%2e%2e")) {
            assertThat(tokens.find(junk)).as(junk).isEmpty();
            tokens.remove(junk);
        }
    }

    /** A storage with locks: what a cluster's storage (a database) offers. */
    private static class SharedStorage implements Storage {
        private final Storage delegate;
        private final RenewalLock locks = RenewalLock.local();

        SharedStorage(Storage delegate) {
            this.delegate = delegate;
        }

        @Override public Optional<Value> get(String key) { return delegate.get(key); }
        @Override public String put(String key, byte[] value) { return delegate.put(key, value); }
        @Override public Optional<String> putIfAbsent(String key, byte[] value) { return delegate.putIfAbsent(key, value); }
        @Override public Optional<String> putIfUnchanged(String key, byte[] value, String expectedVersion) {
            return delegate.putIfUnchanged(key, value, expectedVersion);
        }
        @Override public boolean delete(String key) { return delegate.delete(key); }
        @Override public List<String> list(String prefix) { return delegate.list(prefix); }
        @Override public Optional<Stat> stat(String key) { return delegate.stat(key); }
        @Override public Optional<RenewalLock> locks() { return Optional.of(locks); }
        @Override public AutoCloseable watch(Consumer<String> changed) { return delegate.watch(changed); }
    }
}
