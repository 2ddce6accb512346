package dev.autocert4j;

import java.net.URI;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An order about to be finalized, as a {@link CertificateStore} keeps it until the certificate the
 * CA issues for it is stored: the order's URL, the CA, the names and the new certificate's key pair.
 * After a crash between the CA issuing and the store saving, the order is fetched again from the
 * CA by its URL and its certificate stored, instead of ordering a second one. The private key is a
 * secret, kept as a stored certificate's key is. Immutable.
 *
 * @since 0.2.0
 */
public final class PendingOrder {

    private final String domain;
    private final List<String> names;
    private final URI caDirectory;
    private final URI orderLocation;
    private final KeyPair keyPair;
    private final Instant createdAt;

    /**
     * Creates a pending order.
     *
     * @param domain        the enrollment's first name, under which the certificate is stored
     * @param names         every name ordered, {@code domain} first
     * @param caDirectory   the ACME directory URL of the CA the order was placed at
     * @param orderLocation the order's URL at that CA
     * @param keyPair       the key pair of the certificate the order is finalized with
     * @param createdAt     when the order was recorded
     */
    public PendingOrder(String domain, List<String> names, URI caDirectory, URI orderLocation, KeyPair keyPair,
                        Instant createdAt) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.names = List.copyOf(Objects.requireNonNull(names, "names"));
        this.caDirectory = Objects.requireNonNull(caDirectory, "caDirectory");
        this.orderLocation = Objects.requireNonNull(orderLocation, "orderLocation");
        this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    /** @return the enrollment's first name, under which the certificate is stored */
    public String domain() {
        return domain;
    }

    /** @return every name ordered, the domain first */
    public List<String> names() {
        return names;
    }

    /** @return the ACME directory URL of the CA the order was placed at */
    public URI caDirectory() {
        return caDirectory;
    }

    /** @return the order's URL at the CA */
    public URI orderLocation() {
        return orderLocation;
    }

    /** @return the key pair the order is finalized with; the private key is a secret */
    public KeyPair keyPair() {
        return keyPair;
    }

    /** @return when the order was recorded */
    public Instant createdAt() {
        return createdAt;
    }

    /** Describes the order without its key. */
    @Override
    public String toString() {
        return "PendingOrder[domain=" + domain + ", names=" + names + ", caDirectory=" + caDirectory
                + ", orderLocation=" + orderLocation + ", createdAt=" + createdAt + "]";
    }
}
