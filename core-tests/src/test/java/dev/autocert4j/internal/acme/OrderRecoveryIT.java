package dev.autocert4j.internal.acme;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.CertificateStores;
import dev.autocert4j.CheckResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.PendingOrder;
import dev.autocert4j.StoreKey;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.ForwardingCertificateStore;
import dev.autocert4j.testkit.InMemoryStorage;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;

import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issued-but-not-stored against a real Pebble: an attempt that ends between the CA issuing and the
 * store saving (the store fails there, as a process killed there leaves it) leaves the order recorded;
 * the next check takes that order's certificate from the CA, stores and serves it, and Pebble issues
 * no second one; an order recorded but never finalized is finalized with its recorded key. A
 * recorded order the CA marked invalid, or does not know, is dropped and a new order placed; a record
 * that was edited, whose key is not the certificate's, or at another host, is refused, dropped and
 * never served.
 */
class OrderRecoveryIT {

    private static final StoreKey KEY = StoreKey.generate();
    private static final String NAME = "recover.autocert4j.test";
    private static final String BINDING = "http://" + NAME + ":8080";
    private static final Binding SERVED = Binding.parse("https://" + NAME + ":8443");

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private final InMemoryStorage storage = new InMemoryStorage();
    private TestChallengeServer challenges;

    @BeforeEach
    void answerChallenges() throws Exception {
        challenges = new TestChallengeServer(PEBBLE.httpChallengePort());
    }

    @AfterEach
    void stopAnswering() {
        challenges.close();
    }

    private CertificateStore store() {
        return CertificateStores.onStorage(storage, KEY);
    }

    private AutoCert autoCert(CertificateStore store, RecordingBindingProvider host) {
        return Enrollments.autoCert(PEBBLE, host, challenges, store).networkTimeout(Duration.ofSeconds(10)).build();
    }

    /** The first attempt: Pebble issues, then the store fails to save, as a process killed right there would. */
    private PendingOrder issuedButNotStored() {
        CertificateStore failingSave = new ForwardingCertificateStore(store()) {
            @Override
            public void saveCertificate(IssuedCertificate certificate) {
                throw new CertificateStoreException("the process ended before the certificate was saved", null);
            }
        };
        int issuedBefore = PEBBLE.server().issuedCount();
        try (AutoCert first = autoCert(failingSave, new RecordingBindingProvider(BINDING))) {
            first.manage(Enrollments.request(BINDING));
            CheckResult result = first.checkAll();
            assertThat(result.succeeded()).as(result.toString()).isFalse();
        }
        assertThat(PEBBLE.server().issuedCount()).as("Pebble issued").isEqualTo(issuedBefore + 1);
        assertThat(store().loadCertificate(NAME)).as("nothing stored").isEmpty();
        return store().loadPendingOrder(NAME).orElseThrow();
    }

    /** The restarted server: resumes the stored enrollment and checks it. */
    private IssuedCertificate restartAndCheck(RecordingBindingProvider host) {
        try (AutoCert restarted = autoCert(store(), host)) {
            restarted.resume();
            CheckResult result = restarted.checkAll();
            assertThat(result.succeeded()).as(result.toString()).isTrue();
        }
        return store().loadCertificate(NAME).orElseThrow();
    }

    @Test
    void aCertificateIssuedButNotStoredIsTakenFromItsOrderWithoutASecondOne() {
        PendingOrder pending = issuedButNotStored();
        int issuedBefore = PEBBLE.server().issuedCount();
        RecordingBindingProvider host = new RecordingBindingProvider(BINDING);

        IssuedCertificate stored = restartAndCheck(host);

        assertThat(PEBBLE.server().issuedCount()).as("no second order issued").isEqualTo(issuedBefore);
        assertThat(stored.leaf().getPublicKey()).as("the recorded order's certificate").isEqualTo(pending.keyPair().getPublic());
        assertThat(host.installed().get(SERVED)).isEqualTo(stored);
        assertThat(store().loadPendingOrder(NAME)).as("the record is removed once stored").isEmpty();
    }

    @Test
    void anOrderRecordedButNeverFinalizedIsFinalizedWithItsRecordedKeyAndNoNewOrder() {
        CertificateStore endingAfterTheRecord = new ForwardingCertificateStore(store()) {
            @Override
            public void savePendingOrder(PendingOrder order) {
                super.savePendingOrder(order);
                throw new CertificateStoreException("the process ended before the order was finalized", null);
            }
        };
        int issuedBefore = PEBBLE.server().issuedCount();
        try (AutoCert first = autoCert(endingAfterTheRecord, new RecordingBindingProvider(BINDING))) {
            first.manage(Enrollments.request(BINDING));
            assertThat(first.checkAll().succeeded()).isFalse();
        }
        assertThat(PEBBLE.server().issuedCount()).as("nothing issued yet").isEqualTo(issuedBefore);
        PendingOrder pending = store().loadPendingOrder(NAME).orElseThrow();
        RecordingBindingProvider host = new RecordingBindingProvider(BINDING);

        IssuedCertificate stored = restartAndCheck(host);

        assertThat(PEBBLE.server().issuedCount()).as("issued once, for the recorded order").isEqualTo(issuedBefore + 1);
        assertThat(stored.leaf().getPublicKey()).isEqualTo(pending.keyPair().getPublic());
        assertThat(host.installed().get(SERVED)).isEqualTo(stored);
        assertThat(store().loadPendingOrder(NAME)).isEmpty();
    }

    @Test
    void aPendingOrderTheCaMarkedInvalidIsDroppedAndANewOrderPlaced() throws Exception {
        PendingOrder pending = issuedButNotStored();
        URI invalidOrder = invalidOrderAtPebble();
        store().savePendingOrder(new PendingOrder(NAME, List.of(NAME), PEBBLE.directoryUri(), invalidOrder,
                pending.keyPair(), Instant.now()));
        int issuedBefore = PEBBLE.server().issuedCount();
        RecordingBindingProvider host = new RecordingBindingProvider(BINDING);

        IssuedCertificate stored = restartAndCheck(host);

        assertThat(PEBBLE.server().issuedCount()).as("a new order").isEqualTo(issuedBefore + 1);
        assertThat(stored.leaf().getPublicKey()).isNotEqualTo(pending.keyPair().getPublic());
        assertThat(host.installed().get(SERVED)).isEqualTo(stored);
        assertThat(store().loadPendingOrder(NAME)).isEmpty();
    }

    @Test
    void aPendingOrderTheCaDoesNotKnowIsDroppedAndANewOrderPlaced() {
        PendingOrder pending = issuedButNotStored();
        URI unknown = PEBBLE.directoryUri().resolve("/my-order/no-such-order");
        store().savePendingOrder(new PendingOrder(NAME, List.of(NAME), PEBBLE.directoryUri(), unknown,
                pending.keyPair(), Instant.now()));
        int issuedBefore = PEBBLE.server().issuedCount();

        IssuedCertificate stored = restartAndCheck(new RecordingBindingProvider(BINDING));

        assertThat(PEBBLE.server().issuedCount()).isEqualTo(issuedBefore + 1);
        assertThat(stored.leaf().getPublicKey()).isNotEqualTo(pending.keyPair().getPublic());
    }

    @Test
    void anEditedPendingOrderIsRefusedDroppedAndItsCertificateNeverServed() {
        PendingOrder pending = issuedButNotStored();
        String entry = new String(storage.get("pending-orders/" + NAME).orElseThrow().bytes(), StandardCharsets.ISO_8859_1);
        String location = pending.orderLocation().toString();
        String otherOrder = location.substring(0, location.length() - 1) + (location.endsWith("A") ? "B" : "A");
        assertThat(entry).contains(location);
        // edited by someone without the store key: the same length, another order of the same CA
        storage.put("pending-orders/" + NAME, entry.replace(location, otherOrder).getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> store().loadPendingOrder(NAME)).isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining("seal does not verify");
        int issuedBefore = PEBBLE.server().issuedCount();
        RecordingBindingProvider host = new RecordingBindingProvider(BINDING);

        IssuedCertificate stored = restartAndCheck(host);

        assertThat(PEBBLE.server().issuedCount()).as("a new order").isEqualTo(issuedBefore + 1);
        assertThat(stored.leaf().getPublicKey()).isNotEqualTo(pending.keyPair().getPublic());
        assertThat(host.installed().get(SERVED).leaf().getPublicKey()).isNotEqualTo(pending.keyPair().getPublic());
        assertThat(storage.get("pending-orders/" + NAME)).as("dropped").isEmpty();
    }

    @Test
    void aPendingOrderWhoseKeyIsNotItsCertificatesIsRefusedAndANewOrderPlaced() {
        PendingOrder pending = issuedButNotStored();
        KeyPair attackersKey = KeyType.EC_P256.generate();
        store().savePendingOrder(new PendingOrder(NAME, List.of(NAME), PEBBLE.directoryUri(), pending.orderLocation(),
                attackersKey, Instant.now()));
        int issuedBefore = PEBBLE.server().issuedCount();
        RecordingBindingProvider host = new RecordingBindingProvider(BINDING);

        IssuedCertificate stored = restartAndCheck(host);

        assertThat(PEBBLE.server().issuedCount()).as("a new order").isEqualTo(issuedBefore + 1);
        assertThat(stored.privateKey()).isNotEqualTo(attackersKey.getPrivate());
        assertThat(stored.leaf().getPublicKey()).isNotIn(attackersKey.getPublic(), pending.keyPair().getPublic());
        assertThat(host.installed().get(SERVED)).isEqualTo(stored);
        assertThat(store().loadPendingOrder(NAME)).isEmpty();
    }

    @Test
    void aPendingOrderForOtherNamesIsRefusedAndItsCertificateNeverServed() {
        PendingOrder pending = issuedButNotStored();
        store().savePendingOrder(new PendingOrder(NAME, List.of(NAME, "attacker.autocert4j.test"), PEBBLE.directoryUri(),
                pending.orderLocation(), pending.keyPair(), Instant.now()));
        int issuedBefore = PEBBLE.server().issuedCount();

        IssuedCertificate stored = restartAndCheck(new RecordingBindingProvider(BINDING));

        assertThat(PEBBLE.server().issuedCount()).as("a new order").isEqualTo(issuedBefore + 1);
        assertThat(stored.leaf().getPublicKey()).isNotEqualTo(pending.keyPair().getPublic());
        assertThat(stored.metadata().names()).containsExactly(NAME);
    }

    @Test
    void aPendingOrderAtAnotherHostIsRefusedBeforeAnyRequest() {
        PendingOrder pending = issuedButNotStored();
        URI elsewhere = URI.create("https://attacker.example:" + PEBBLE.directoryUri().getPort()
                + pending.orderLocation().getPath());
        store().savePendingOrder(new PendingOrder(NAME, List.of(NAME), PEBBLE.directoryUri(), elsewhere,
                pending.keyPair(), Instant.now()));
        int issuedBefore = PEBBLE.server().issuedCount();

        IssuedCertificate stored = restartAndCheck(new RecordingBindingProvider(BINDING));

        assertThat(PEBBLE.server().issuedCount()).as("a new order").isEqualTo(issuedBefore + 1);
        assertThat(stored.leaf().getPublicKey()).isNotEqualTo(pending.keyPair().getPublic());
    }

    /** An order for the name at Pebble, with the stored account, whose challenge fails: Pebble marks it invalid. */
    private URI invalidOrderAtPebble() throws Exception {
        CertificateAuthority pebble = PEBBLE.certificateAuthority();
        Session session = new Session(pebble.directory(), new TrustingAcmeProvider(pebble.trustStore().orElseThrow()));
        AcmeAccount account = store().loadAccount(PEBBLE.directoryUri()).orElseThrow();
        Login login = session.login(new URL(account.location().toString()), account.keyPair());
        Order order = login.newOrder().domain(NAME).create();
        for (Authorization authorization : order.getAuthorizations()) {
            authorization.findChallenge(Http01Challenge.class).orElseThrow().trigger(); // never presented: fails
        }
        order.waitForCompletion(Duration.ofSeconds(30));
        assertThat(order.getStatus()).isEqualTo(Status.INVALID);
        return order.getLocation().toURI();
    }
}
