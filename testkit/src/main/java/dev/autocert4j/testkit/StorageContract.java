package dev.autocert4j.testkit;

import dev.autocert4j.spi.Storage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link Storage} must have: get, put, the two compare-and-sets, delete, list,
 * stat, key validation, and that of racing writers exactly one wins. A storage plugin's test
 * extends this class and says how to open the storage; a second {@link #openStorage()} within one
 * test must see what the first one wrote.
 *
 * <pre>{@code
 * class MyStorageTest extends StorageContract {
 *     @TempDir Path folder;
 *
 *     @Override
 *     protected Storage openStorage() {
 *         return new MyStorage(folder);
 *     }
 * }
 * }</pre>
 *
 * @since 0.2.0
 */
public abstract class StorageContract {

    private static final List<String> INVALID_KEYS = List.of("", "/a", "a/", "a//b", "../a", "a/../b", "a/./b", ".a",
            "a/.hidden", "a b", "a\\b", "a\u0000b", "a\nb", "é", "a:b", "a*b", "a".repeat(Storage.MAX_KEY_LENGTH + 1));

    /** @return a storage over the same underlying place every time it is called within one test */
    protected abstract Storage openStorage();

    // ---- the bytes ----

    @Test
    void anEmptyStorageHasNothing() {
        Storage storage = openStorage();
        assertThat(storage.get("certificates/a")).isEmpty();
        assertThat(storage.stat("certificates/a")).isEmpty();
        assertThat(storage.list("")).isEmpty();
        assertThat(storage.delete("certificates/a")).isFalse();
    }

    @Test
    void getReturnsTheBytesOfTheLastPutAndStatDescribesThem() {
        Storage storage = openStorage();
        storage.put("certificates/a", text("first"));
        String version = storage.put("certificates/a", text("second value"));

        Storage.Value read = openStorage().get("certificates/a").orElseThrow();
        assertThat(read.bytes()).isEqualTo(text("second value"));
        assertThat(read.version()).isEqualTo(version).isNotEmpty();
        Storage.Stat stat = openStorage().stat("certificates/a").orElseThrow();
        assertThat(stat.size()).isEqualTo(text("second value").length);
        assertThat(stat.version()).isEqualTo(version);
        assertThat(stat.modified()).isAfter(Instant.now().minus(Duration.ofDays(1)));
    }

    @Test
    void emptyAndLargeValuesAreKeptByteForByte() {
        Storage storage = openStorage();
        byte[] large = bytes(256 * 1024, 3);
        storage.put("large", large);
        storage.put("empty", new byte[0]);

        assertThat(openStorage().get("large").orElseThrow().bytes()).isEqualTo(large);
        assertThat(openStorage().get("empty").orElseThrow().bytes()).isEmpty();
    }

    @Test
    void theVersionChangesWhenTheBytesChange() {
        Storage storage = openStorage();
        String first = storage.put("k", text("one"));
        String second = storage.put("k", text("two"));
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void putIfAbsentWritesOnlyWhereNothingIs() {
        Storage storage = openStorage();
        assertThat(storage.putIfAbsent("k", text("first"))).isPresent();
        assertThat(storage.putIfAbsent("k", text("second"))).isEmpty();
        assertThat(storage.get("k").orElseThrow().bytes()).isEqualTo(text("first"));
    }

    @Test
    void putIfUnchangedWritesOnlyOverTheVersionTheCallerRead() {
        Storage storage = openStorage();
        String seen = storage.put("k", text("first"));
        storage.put("k", text("changed by another writer"));

        assertThat(storage.putIfUnchanged("k", text("stale"), seen)).isEmpty();
        assertThat(storage.get("k").orElseThrow().bytes()).isEqualTo(text("changed by another writer"));

        String current = storage.get("k").orElseThrow().version();
        Optional<String> written = storage.putIfUnchanged("k", text("fresh"), current);
        assertThat(written).isPresent();
        assertThat(storage.get("k").orElseThrow()).isEqualTo(new Storage.Value(text("fresh"), written.get()));
        assertThat(storage.putIfUnchanged("missing", text("x"), current)).as("no value, so not unchanged").isEmpty();
        assertThat(storage.get("missing")).isEmpty();
    }

    @Test
    void deleteRemovesTheValueOnce() {
        Storage storage = openStorage();
        storage.put("enrollments/a", text("x"));
        assertThat(storage.delete("enrollments/a")).isTrue();
        assertThat(storage.delete("enrollments/a")).isFalse();
        assertThat(openStorage().get("enrollments/a")).isEmpty();
        assertThat(storage.list("")).isEmpty();
    }

    @Test
    void listReturnsTheKeysThatStartWithThePrefixSorted() {
        Storage storage = openStorage();
        for (String key : List.of("certificates/b.example.com", "certificates/a.example.com", "certificatesX",
                "certificates/deep/er", "enrollments/a.example.com", "accounts/0f1e")) {
            storage.put(key, text(key));
        }

        assertThat(openStorage().list("certificates/")).containsExactly("certificates/a.example.com",
                "certificates/b.example.com", "certificates/deep/er");
        assertThat(storage.list("enrollments/")).containsExactly("enrollments/a.example.com");
        assertThat(storage.list("")).hasSize(6);
        assertThat(storage.list("nothing/")).isEmpty();
    }

    @Test
    void everyKeyOutsideTheAlphabetIsRefusedBeforeAnythingIsTouched() {
        Storage storage = openStorage();
        for (String key : INVALID_KEYS) {
            assertThatThrownBy(() -> storage.put(key, text("x"))).as("put '%s'", key)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.putIfAbsent(key, text("x"))).as("putIfAbsent '%s'", key)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.putIfUnchanged(key, text("x"), "1")).as("putIfUnchanged '%s'", key)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.get(key)).as("get '%s'", key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.stat(key)).as("stat '%s'", key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.delete(key)).as("delete '%s'", key)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> storage.list("../")).isInstanceOf(IllegalArgumentException.class);
        assertThat(storage.list("")).as("nothing was written").isEmpty();

        String everyCharacter = "A-Z_a-z.0-9/x_y-z.v1";
        storage.put(everyCharacter, text("kept"));
        assertThat(storage.get(everyCharacter).orElseThrow().bytes()).isEqualTo(text("kept"));
    }

    @Test
    void ofWritersRacingWithTheSameVersionExactlyOneWins() throws Exception {
        Storage storage = openStorage();
        String version = storage.put("race", text("start"));
        List<Optional<String>> results = race(8, writer -> storage.putIfUnchanged("race", text("writer " + writer), version));

        assertThat(results.stream().filter(Optional::isPresent)).hasSize(1);
        int winner = results.indexOf(results.stream().filter(Optional::isPresent).findFirst().orElseThrow());
        assertThat(storage.get("race").orElseThrow().bytes()).isEqualTo(text("writer " + winner));
    }

    @Test
    void ofWritersRacingForAnAbsentKeyExactlyOneWins() throws Exception {
        Storage storage = openStorage();
        List<Optional<String>> results = race(8, writer -> storage.putIfAbsent("first", text("writer " + writer)));

        assertThat(results.stream().filter(Optional::isPresent)).hasSize(1);
        int winner = results.indexOf(results.stream().filter(Optional::isPresent).findFirst().orElseThrow());
        assertThat(storage.get("first").orElseThrow().bytes()).isEqualTo(text("writer " + winner));
    }

    // ---- helpers ----

    private static <T> List<T> race(int writers, java.util.function.IntFunction<T> write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int writer = i;
                Callable<T> task = () -> {
                    start.await();
                    return write.apply(writer);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }
}
