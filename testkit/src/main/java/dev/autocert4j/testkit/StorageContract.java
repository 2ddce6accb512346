package dev.autocert4j.testkit;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStores;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.StoreKey;
import dev.autocert4j.spi.Storage;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link Storage} must have, in two parts: the bytes (get, put, the two
 * compare-and-sets, delete, list, stat, key validation, and that of racing writers exactly one
 * wins), and the integrity of the certificate store autocert4j keeps on top of it
 * ({@link dev.autocert4j.CertificateStores#onStorage}) against someone who writes to the storage without the store
 * key: entries forged, swapped between names, replayed (an older generation copied back) and cut
 * short are refused for their name alone, and the other names still load. A storage plugin's test
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

    private static final StoreKey KEY = StoreKey.of(bytes(32, 7));
    private static final String A = "a.example.com";
    private static final String B = "b.example.com";
    private static final String OTHER = "other.example.com";
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
    void keysThatDifferOnlyInCaseAreDifferentKeys() {
        Storage storage = openStorage();
        storage.put("Portal/Key", text("upper"));
        storage.put("portal/key", text("lower"));

        assertThat(storage.get("Portal/Key").orElseThrow().bytes()).isEqualTo(text("upper"));
        assertThat(storage.get("portal/key").orElseThrow().bytes()).isEqualTo(text("lower"));
        assertThat(storage.list("portal/")).containsExactly("portal/key");
        assertThat(storage.putIfAbsent("PORTAL/KEY", text("third"))).isPresent();
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

    // ---- the certificate store on top, against a writer without the store key ----

    @Test
    void theCertificateStoreOnTopKeepsWhatItSavedForAnotherInstanceWithTheSameKey() {
        CertificateStore store = store();
        IssuedCertificate certificate = certificate(A, 10);
        AcmeAccount account = new AcmeAccount(URI.create("https://ca.test/dir"), KeyType.EC_P256.generate(),
                URI.create("https://ca.test/acct/1"), List.of("mailto:admin@example.com", "mailto:ops@example.com"),
                URI.create("https://ca.test/terms/v2"));
        store.saveCertificate(certificate);
        store.saveEnrollment(A, Map.of("binding", "http://a.example.com:80"));
        store.saveAccount(account);

        CertificateStore other = store();
        assertThat(other.loadCertificate(A)).contains(certificate);
        assertThat(other.loadMetadata(A)).contains(certificate.metadata());
        assertThat(other.domains()).containsExactly(A);
        assertThat(other.loadEnrollments()).containsExactly(Map.entry(A, Map.of("binding", "http://a.example.com:80")));
        assertThat(other.loadAccount(account.caDirectory())).contains(account);
        assertThat(openStorage().list("").toString()).as("no secret in a key").doesNotContain("acct");
    }

    @Test
    void anEditedFieldTheCertificateCannotVouchForIsRefusedForThatNameAloneTheOthersLoad() {
        CertificateStore store = store();
        IssuedCertificate other = certificate(OTHER, 10);
        store.saveCertificate(other);
        String keyOfA = keyWrittenBy(() -> store.saveCertificate(certificate(A, 89)));

        Storage storage = openStorage();
        String entry = new String(storage.get(keyOfA).orElseThrow().bytes(), StandardCharsets.ISO_8859_1);
        assertThat(entry).contains("https://ca.test/dir");
        storage.put(keyOfA, entry.replace("https://ca.test/dir", "https://ca.evil/dir").getBytes(StandardCharsets.ISO_8859_1));

        CertificateStore node = store();
        assertRefused(() -> node.loadCertificate(A)).hasMessageContaining("seal does not verify");
        assertRefused(() -> node.loadMetadata(A));
        assertThat(node.loadAllMetadata(List.of(A, OTHER))).as("left out, the other names go on").containsOnlyKeys(OTHER);
        assertThat(node.loadCertificate(OTHER)).contains(other);
    }

    @Test
    void bytesWrittenWithoutTheStoreKeyAreRefused() {
        CertificateStore store = store();
        String keyOfA = keyWrittenBy(() -> store.saveCertificate(certificate(A, 10)));

        openStorage().put(keyOfA, text("anything at all, written without the store key"));

        assertRefused(() -> store().loadCertificate(A));
        assertThat(store().domains()).as("listed still: its name is known, its content is not").containsExactly(A);
    }

    @Test
    void aCertificateSwappedToAnotherNameItAlsoCoversIsRefused() {
        CertificateStore store = store();
        IssuedCertificate both = TestCertificates.issued(List.of(A, B), Instant.now().minus(Duration.ofDays(80)),
                Duration.ofDays(90));
        String keyOfA = keyWrittenBy(() -> store.saveCertificate(both));
        IssuedCertificate b = certificate(B, 1);
        String keyOfB = keyWrittenBy(() -> store.saveCertificate(b));

        Storage storage = openStorage();
        storage.put(keyOfB, storage.get(keyOfA).orElseThrow().bytes());

        CertificateStore node = store();
        assertRefused(() -> node.loadCertificate(B)).hasMessageContaining("seal does not verify");
        assertRefused(() -> node.loadMetadata(B));
        assertThat(node.loadCertificate(A)).contains(both);
    }

    @Test
    void aCertificateWhoseKeyOrNamesDoNotMatchIsNeverServed() {
        CertificateStore store = store();
        IssuedCertificate a = certificate(A, 10);
        IssuedCertificate b = certificate(B, 10);
        store.saveCertificate(new IssuedCertificate(a.chain(), b.privateKey(), a.metadata()));
        store.saveCertificate(new IssuedCertificate(b.chain(), b.privateKey(),
                dev.autocert4j.CertificateMetadata.of(OTHER, b.leaf(), Instant.now(), null, null)));

        assertRefused(() -> store().loadCertificate(A)).hasMessageContaining("key");
        assertRefused(() -> store().loadCertificate(OTHER)).hasMessageContaining("does not name");
        assertRefused(() -> store().loadMetadata(OTHER)).hasMessageContaining("does not name");
    }

    @Test
    void anOlderCertificateCopiedBackIsRefusedByTheNodeThatSawTheNewerOne() {
        CertificateStore node = store();
        IssuedCertificate other = certificate(OTHER, 10);
        node.saveCertificate(other);
        IssuedCertificate old = certificate(A, 80);
        String key = keyWrittenBy(() -> node.saveCertificate(old));
        byte[] copied = openStorage().get(key).orElseThrow().bytes();
        IssuedCertificate renewed = certificate(A, 0);
        node.saveCertificate(renewed);
        CertificateStore peer = store();
        assertThat(peer.loadCertificate(A)).as("a peer reads the renewed one once").contains(renewed);

        openStorage().put(key, copied);

        assertRefused(() -> node.loadCertificate(A)).hasMessageContaining("older");
        assertRefused(() -> peer.loadMetadata(A)).hasMessageContaining("older");
        assertThat(peer.loadAllMetadata(List.of(A, OTHER))).containsOnlyKeys(OTHER);
        node.saveCertificate(renewed);
        assertThat(peer.loadCertificate(A)).as("saved again, it is newer than all seen").contains(renewed);
    }

    @Test
    void aCertificateCutShortIsRefused() {
        CertificateStore store = store();
        IssuedCertificate other = certificate(OTHER, 10);
        store.saveCertificate(other);
        String key = keyWrittenBy(() -> store.saveCertificate(certificate(A, 10)));
        Storage storage = openStorage();
        byte[] whole = storage.get(key).orElseThrow().bytes();

        for (int length : List.of(0, 4, whole.length / 3, whole.length - 33, whole.length - 1)) {
            storage.put(key, Arrays.copyOf(whole, length));
            CertificateStore node = store();
            assertRefused(() -> node.loadCertificate(A));
            assertThat(node.loadCertificate(OTHER)).contains(other);
        }
    }

    @Test
    void forgedEditedSwappedAndReplayedEnrollmentsAreLeftOutTheOthersLoad() {
        CertificateStore node = store();
        String keyOfA = keyWrittenBy(() -> node.saveEnrollment(A, Map.of("binding", "http://a.example.com:80")));
        String keyOfB = keyWrittenBy(() -> node.saveEnrollment(B, Map.of("binding", "http://b.example.com:80")));
        String keyOfOther = keyWrittenBy(() -> node.saveEnrollment(OTHER, Map.of("binding", "http://other.example.com:80")));
        byte[] oldOther = openStorage().get(keyOfOther).orElseThrow().bytes();
        node.saveEnrollment(OTHER, Map.of("binding", "http://other.example.com:8080"));
        assertThat(node.loadEnrollments()).hasSize(3);

        Storage storage = openStorage();
        storage.put(keyOfA, storage.get(keyOfB).orElseThrow().bytes());
        storage.put(keyOfOther, oldOther);
        storage.put(keyOfA.substring(0, keyOfA.lastIndexOf('/') + 1) + "forged.example.com", text("binding=http://x"));

        assertThat(node.loadEnrollments()).containsOnlyKeys(B);
        assertThat(node.loadEnrollments().get(B)).containsEntry("binding", "http://b.example.com:80");
    }

    @Test
    void anEditedAccountIsRefused() {
        CertificateStore store = store();
        URI ca = URI.create("https://ca.test/dir");
        String key = keyWrittenBy(() -> store.saveAccount(new AcmeAccount(ca, KeyType.EC_P256.generate(),
                URI.create("https://ca.test/acct/1"))));
        Storage storage = openStorage();
        String bytes = new String(storage.get(key).orElseThrow().bytes(), StandardCharsets.ISO_8859_1);
        assertThat(bytes).contains("https://ca.test/acct/1");
        storage.put(key, bytes.replace("acct/1", "acct/6").getBytes(StandardCharsets.ISO_8859_1));

        assertRefused(() -> store().loadAccount(ca));

        store.saveAccount(new AcmeAccount(ca, KeyType.EC_P256.generate(), URI.create("https://ca.test/acct/1"),
                List.of("mailto:admin@example.com"), URI.create("https://ca.test/terms/v2")));
        String withContact = new String(storage.get(key).orElseThrow().bytes(), StandardCharsets.ISO_8859_1);
        storage.put(key, withContact.replace("admin@example.com", "evil1@example.com")
                .replace("terms/v2", "terms/v0").getBytes(StandardCharsets.ISO_8859_1));
        assertRefused(() -> store().loadAccount(ca)); // an edited contact or Terms of Service link
    }

    @Test
    void entriesSealedWithAnotherStoreKeyAreRefused() {
        CertificateStores.onStorage(openStorage(), StoreKey.generate()).saveCertificate(certificate(A, 10));

        assertRefused(() -> store().loadCertificate(A)).hasMessageContaining("seal does not verify");
    }

    @Test
    void aDeletedEntryIsDenialOfServiceOnlyASaveAfterwardsIsServed() {
        CertificateStore node = store();
        String key = keyWrittenBy(() -> node.saveCertificate(certificate(A, 10)));
        openStorage().delete(key);

        assertThat(node.loadCertificate(A)).isEmpty();
        IssuedCertificate again = certificate(A, 0);
        node.saveCertificate(again);
        assertThat(store().loadCertificate(A)).contains(again);
    }

    // ---- helpers ----

    private CertificateStore store() {
        return CertificateStores.onStorage(openStorage(), KEY);
    }

    /** @return the one key a store operation added */
    private String keyWrittenBy(Runnable save) {
        Set<String> before = new HashSet<>(openStorage().list(""));
        save.run();
        List<String> added = new ArrayList<>(openStorage().list(""));
        added.removeAll(before);
        assertThat(added).as("keys the save added").hasSize(1);
        return added.get(0);
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Runnable load) {
        return assertThatThrownBy(load::run).isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining("refused");
    }

    private static IssuedCertificate certificate(String domain, int daysAgo) {
        return TestCertificates.issued(domain, Instant.now().minus(Duration.ofDays(daysAgo)), Duration.ofDays(90));
    }

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
