package dev.autocert4j.internal.acme;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.PendingOrder;
import dev.autocert4j.internal.Issuer;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUserActionRequiredException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Never losing a certificate the CA issued: the order about to be finalized is recorded in the store
 * (its URL and the new key, sealed and encrypted as a certificate is) before the CA is asked to
 * issue, and removed once the certificate is stored. A record found before the next order means the
 * last attempt ended between the two: the order is fetched again from the CA with the account and,
 * once valid, its certificate downloaded and verified as a fresh one is (key, names, chain). A record
 * the CA no longer knows, or has marked invalid or expired, is dropped and a new order follows; one
 * that does not verify (edited, of other names or another CA's host, its key not the certificate's)
 * is refused and dropped, never served.
 */
final class OrderRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(OrderRecovery.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Every state but the one in which the CA is still issuing. */
    private static final Set<Status> SETTLED = EnumSet.complementOf(EnumSet.of(Status.PROCESSING));

    /** Downloads the certificate of a valid order and verifies it as a freshly issued one. */
    @FunctionalInterface
    interface Download {
        IssuedCertificate certificate(org.shredzone.acme4j.Order order, KeyPair certificateKey);
    }

    private final CertificateAuthority ca;
    private final CertificateStore store;
    private final Poller poller;
    private final Clock clock;

    OrderRecovery(CertificateAuthority ca, CertificateStore store, Poller poller, Clock clock) {
        this.ca = ca;
        this.store = store;
        this.poller = poller;
        this.clock = clock;
    }

    /** Records the order about to be finalized with this key; a store that keeps none records nothing. */
    void record(Issuer.Order order, URI orderLocation, KeyPair certificateKey) {
        if (store.keepsPendingOrders()) {
            store.savePendingOrder(new PendingOrder(order.domain(), order.names(), ca.directory(), orderLocation,
                    certificateKey, clock.instant()));
        }
    }

    /**
     * The recorded order of this CA for the order's names, if one is worth asking the CA about; a
     * record that is refused, or of other names, is dropped here. A record of another CA is left
     * for that CA.
     */
    Optional<PendingOrder> pendingFor(Issuer.Order order) {
        if (!store.keepsPendingOrders()) {
            return Optional.empty();
        }
        Optional<PendingOrder> loaded;
        try {
            loaded = store.loadPendingOrder(order.domain());
        } catch (AutoCertException e) {
            drop(order.domain(), "it cannot be read or is refused: " + e.getMessage());
            return Optional.empty();
        }
        if (loaded.isEmpty() || !loaded.get().caDirectory().equals(ca.directory())) {
            return Optional.empty();
        }
        PendingOrder pending = loaded.get();
        String problem = problemOf(pending, order);
        if (problem != null) {
            drop(order.domain(), problem);
            return Optional.empty();
        }
        return loaded;
    }

    /**
     * Fetches a recorded order from the CA and takes its certificate: finalizes again with the recorded
     * key where the CA is ready for it, waits while it is issuing. The record stays where the CA
     * cannot be asked now (the failure is thrown), and is dropped in every other case but success.
     *
     * @param beforeIssuing run before the CA is asked to issue again (the renewal lock is confirmed there)
     * @return the certificate, verified; empty where a new order has to be placed
     */
    Optional<IssuedCertificate> resume(PendingOrder pending, Login login, Runnable beforeIssuing, Download download)
            throws AcmeException, InterruptedException {
        String domain = pending.domain();
        org.shredzone.acme4j.Order order = login.bindOrder(AcmeUrls.toUrl(pending.orderLocation()));
        String description = "the pending order for " + domain;
        Status status;
        try {
            status = poller.await(order::fetch, order::getStatus, SETTLED, description);
            if (status == Status.READY) {
                beforeIssuing.run();
                order.execute(pending.keyPair());
                status = poller.await(order::fetch, order::getStatus, SETTLED, description);
            }
        } catch (AcmeRateLimitedException | AcmeUserActionRequiredException e) {
            throw e; // the CA cannot be asked now: the record waits for the next check
        } catch (AcmeServerException e) {
            drop(domain, ca.name() + " answered " + e.getMessage() + " for it");
            return Optional.empty();
        } catch (AcmeException e) {
            if (!isGone(e)) {
                throw e; // the CA could not be asked: the record waits for the next check
            }
            drop(domain, ca.name() + " does not know it (" + e.getMessage() + ")");
            return Optional.empty();
        }
        if (status != Status.VALID) {
            drop(domain, ca.name() + " says it is " + status.name().toLowerCase(java.util.Locale.ROOT));
            return Optional.empty();
        }
        IssuedCertificate issued;
        try {
            issued = download.certificate(order, pending.keyPair());
        } catch (AutoCertException e) {
            drop(domain, "its certificate does not verify: " + e.getMessage());
            return Optional.empty();
        }
        LOG.info("Took the certificate for {} (serial {}) from the order {} that {} issued before the last attempt"
                + " ended; no new order", domain, issued.metadata().serialNumber(), pending.orderLocation(), ca.name());
        return Optional.of(issued);
    }

    /** Whether the CA answered that the order is not there, without a problem document (acme4j's "HTTP 404"). */
    private static boolean isGone(AcmeException e) {
        return e.getClass() == AcmeException.class && ("HTTP 404".equals(e.getMessage()) || "HTTP 410".equals(e.getMessage()));
    }

    /** @return why a record cannot be this order's, or {@code null} if it can */
    private String problemOf(PendingOrder pending, Issuer.Order order) {
        if (!new HashSet<>(pending.names()).equals(new HashSet<>(order.names()))) {
            return "it names " + pending.names() + ", not " + order.names();
        }
        if (!sameOrigin(pending.orderLocation(), ca.directory())) {
            return "its order URL " + pending.orderLocation() + " is not at " + ca.name() + " (" + ca.directory() + ")";
        }
        if (!keyPairMatches(pending.keyPair())) {
            return "its private key is not the one of its public key";
        }
        return null;
    }

    private static boolean sameOrigin(URI location, URI directory) {
        return location.getUserInfo() == null && Objects.equals(location.getScheme(), directory.getScheme())
                && Objects.equals(location.getHost(), directory.getHost()) && location.getPort() == directory.getPort();
    }

    /** Whether the private key signs what the public key verifies. */
    private static boolean keyPairMatches(KeyPair keyPair) {
        String algorithm = switch (keyPair.getPrivate().getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(keyPair.getPrivate());
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(keyPair.getPublic());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Drops a record that cannot give the certificate; a new order follows. */
    private void drop(String domain, String why) {
        LOG.warn("The pending order of {} is dropped and a new order placed: {}", domain, why);
        try {
            store.deletePendingOrder(domain);
        } catch (AutoCertException e) {
            LOG.warn("Could not delete the pending order of {}: {}", domain, e.getMessage());
        }
    }
}
