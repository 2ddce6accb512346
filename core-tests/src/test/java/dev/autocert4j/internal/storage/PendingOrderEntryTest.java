package dev.autocert4j.internal.storage;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.CertificateStores;
import dev.autocert4j.KeyType;
import dev.autocert4j.PendingOrder;
import dev.autocert4j.StoreKey;
import dev.autocert4j.testkit.InMemoryStorage;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pending orders in the sealed store, as a writer of the storage without the store key would try
 * them: the key is never in the storage in plain, and an entry edited, copied from another name,
 * or copied back from an older generation is refused.
 */
class PendingOrderEntryTest {

    private static final StoreKey KEY = StoreKey.generate();
    private static final URI CA = URI.create("https://127.0.0.1:14000/dir");

    private final InMemoryStorage storage = new InMemoryStorage();
    private final CertificateStore store = CertificateStores.onStorage(storage, KEY);

    private static PendingOrder order(String domain, String orderId, KeyPair key) {
        return new PendingOrder(domain, List.of(domain), CA, URI.create("https://127.0.0.1:14000/my-order/" + orderId),
                key, Instant.parse("2026-12-08T01:00:00Z"));
    }

    @Test
    void keepsAnOrderUntilItIsDeletedAndNeverItsKeyInPlain() {
        KeyPair key = KeyType.EC_P256.generate();

        store.savePendingOrder(order("portal.example.com", "abc", key));
        PendingOrder loaded = CertificateStores.onStorage(storage, KEY).loadPendingOrder("portal.example.com").orElseThrow();

        assertThat(store.keepsPendingOrders()).isTrue();
        assertThat(loaded.orderLocation()).isEqualTo(URI.create("https://127.0.0.1:14000/my-order/abc"));
        assertThat(loaded.caDirectory()).isEqualTo(CA);
        assertThat(loaded.names()).containsExactly("portal.example.com");
        assertThat(loaded.keyPair().getPrivate().getEncoded()).isEqualTo(key.getPrivate().getEncoded());
        String stored = new String(storage.get("pending-orders/portal.example.com").orElseThrow().bytes(),
                StandardCharsets.ISO_8859_1);
        assertThat(stored).doesNotContain(Base64.getEncoder().encodeToString(key.getPrivate().getEncoded()))
                .doesNotContain(new String(key.getPrivate().getEncoded(), StandardCharsets.ISO_8859_1));

        store.deletePendingOrder("portal.example.com");
        assertThat(store.loadPendingOrder("portal.example.com")).isEmpty();
        assertThat(store.domains()).as("a pending order is no certificate").isEmpty();
    }

    @Test
    void anEntryCopiedFromAnotherNameIsRefused() {
        store.savePendingOrder(order("other.example.com", "abc", KeyType.EC_P256.generate()));
        storage.put("pending-orders/portal.example.com", storage.get("pending-orders/other.example.com").orElseThrow().bytes());

        assertThatThrownBy(() -> store.loadPendingOrder("portal.example.com"))
                .isInstanceOf(CertificateStoreException.class).hasMessageContaining("seal does not verify");
    }

    @Test
    void anOlderEntryCopiedBackIsRefusedAsAReplay() {
        store.savePendingOrder(order("portal.example.com", "first", KeyType.EC_P256.generate()));
        byte[] older = storage.get("pending-orders/portal.example.com").orElseThrow().bytes();
        store.savePendingOrder(order("portal.example.com", "second", KeyType.EC_P256.generate()));
        storage.put("pending-orders/portal.example.com", older);

        assertThatThrownBy(() -> store.loadPendingOrder("portal.example.com"))
                .isInstanceOf(CertificateStoreException.class).hasMessageContaining("older than generation");
    }

    @Test
    void aCertificateEntryIsNeverTakenForAPendingOrder() {
        store.savePendingOrder(order("portal.example.com", "abc", KeyType.EC_P256.generate()));
        storage.put("certificates/portal.example.com", storage.get("pending-orders/portal.example.com").orElseThrow().bytes());

        assertThatThrownBy(() -> store.loadCertificate("portal.example.com"))
                .isInstanceOf(CertificateStoreException.class).hasMessageContaining("seal does not verify");
    }
}
