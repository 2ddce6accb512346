package dev.autocert4j.pkcs12;

import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.KeyType;
import dev.autocert4j.PendingOrder;
import dev.autocert4j.testkit.FileCreationTrace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pending orders of the PKCS#12 folder store, as a local user who can read or write the store's
 * files would try them: the key is never in a file in plain, every file and folder is owner-only from
 * the instant it is created, and a file edited, or copied to another domain, is refused.
 */
class Pkcs12PendingOrderTest {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final URI PEBBLE = URI.create("https://127.0.0.1:14000/dir");

    @TempDir
    Path folder;

    private Pkcs12CertificateStore store() {
        return new Pkcs12CertificateStore(folder.resolve("state"), PASSWORD);
    }

    private static PendingOrder order(String domain, KeyPair key) {
        return new PendingOrder(domain, List.of(domain, "www." + domain), PEBBLE,
                URI.create("https://127.0.0.1:14000/my-order/abc"), key, Instant.parse("2026-12-08T01:00:00Z"));
    }

    private Path file(String domain) {
        return folder.resolve("state").resolve("pending-orders").resolve(domain + ".properties");
    }

    @Test
    void keepsAnOrderUntilItIsDeletedAndNeverItsKeyInPlain() throws Exception {
        KeyPair key = KeyType.EC_P256.generate();
        Pkcs12CertificateStore store = store();

        store.savePendingOrder(order("portal.example.com", key));
        PendingOrder loaded = store().loadPendingOrder("portal.example.com").orElseThrow();

        assertThat(store.keepsPendingOrders()).isTrue();
        assertThat(loaded.names()).containsExactly("portal.example.com", "www.portal.example.com");
        assertThat(loaded.caDirectory()).isEqualTo(PEBBLE);
        assertThat(loaded.orderLocation()).isEqualTo(URI.create("https://127.0.0.1:14000/my-order/abc"));
        assertThat(loaded.createdAt()).isEqualTo(Instant.parse("2026-12-08T01:00:00Z"));
        assertThat(loaded.keyPair().getPrivate().getEncoded()).isEqualTo(key.getPrivate().getEncoded());
        assertThat(Files.readString(file("portal.example.com")))
                .doesNotContain(Base64.getEncoder().encodeToString(key.getPrivate().getEncoded()));
        assertThat(new String(Files.readAllBytes(file("portal.example.com")), StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(key.getPrivate().getEncoded(), StandardCharsets.ISO_8859_1));

        store.deletePendingOrder("portal.example.com");
        assertThat(store.loadPendingOrder("portal.example.com")).isEmpty();
        store.deletePendingOrder("portal.example.com"); // nothing there: nothing happens
    }

    @Test
    void noPendingOrderFileOrFolderIsReadableByAnotherUserEvenAtTheInstantItIsCreated() throws Exception {
        Path root = folder.resolve("state");
        try (FileCreationTrace trace = FileCreationTrace.start()) {
            store().savePendingOrder(order("portal.example.com", KeyType.EC_P256.generate()));

            var created = trace.stop().assertOwnerOnlyUnder(root);
            assertThat(created).extracting(event -> event.path().getFileName().toString())
                    .anyMatch(name -> name.startsWith(".portal.example.com.properties."))
                    .contains("pending-orders");
        }
    }

    @Test
    void anEditedFileIsRefused() throws Exception {
        store().savePendingOrder(order("portal.example.com", KeyType.EC_P256.generate()));
        Path file = file("portal.example.com");
        Files.writeString(file, Files.readString(file).replace("my-order/abc", "my-order/xyz"));

        assertThatThrownBy(() -> store().loadPendingOrder("portal.example.com"))
                .isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("HMAC does not verify");
    }

    @Test
    void aFileCopiedFromAnotherDomainIsRefused() throws Exception {
        store().savePendingOrder(order("other.example.com", KeyType.EC_P256.generate()));
        Files.copy(file("other.example.com"), file("portal.example.com"));

        assertThatThrownBy(() -> store().loadPendingOrder("portal.example.com"))
                .isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining("the pending order of other.example.com, not of portal.example.com");
    }

    @Test
    void aFileWrittenWithAnotherPasswordIsRefused() {
        store().savePendingOrder(order("portal.example.com", KeyType.EC_P256.generate()));

        assertThatThrownBy(() -> new Pkcs12CertificateStore(folder.resolve("state"), "another".toCharArray())
                .loadPendingOrder("portal.example.com"))
                .isInstanceOf(CertificateStoreException.class);
    }
}
