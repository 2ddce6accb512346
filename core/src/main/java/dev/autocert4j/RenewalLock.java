package dev.autocert4j;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Lets one server at a time renew a given certificate when several share a certificate store (a
 * cluster behind a load balancer), so that the CA sees one order per renewal and not one per node.
 * A store that is shared offers one through {@link CertificateStore#renewalLock()}; otherwise
 * {@link #local()} applies, which always grants the lock.
 *
 * <p>Holding the lock is a lease: the holder must be able to lose it (it crashed, or cannot reach
 * the shared state), and then it must not finish its work. autocert4j therefore calls
 * {@link Lease#confirm()} right before it asks the CA to issue the certificate, and stops if that
 * throws.
 *
 * @since 0.2.0
 */
public interface RenewalLock {

    /**
     * Tries to take the lock for a domain, without waiting.
     *
     * @param domain the enrollment's name
     * @return the lease, held until closed; empty if another server holds the lock
     * @throws AutoCertException if it cannot be known (the shared state is unreachable)
     */
    Optional<Lease> tryLock(String domain);

    /**
     * @param domain the enrollment's name
     * @return who holds the lock for the domain now, if anyone (for the status)
     * @throws AutoCertException if it cannot be known
     */
    Optional<Holder> holder(String domain);

    /** @return the lock of a single server, which is always granted and never lost */
    static RenewalLock local() {
        return LocalRenewalLock.INSTANCE;
    }

    /** A lock that is held. */
    interface Lease extends AutoCloseable {

        /**
         * Checks with the shared state that the lease is still this server's, and extends it.
         *
         * @throws AutoCertException if it is not, or cannot be checked: the work must stop
         */
        void confirm();

        /** Gives the lock up. Never throws; a lease that cannot be given up expires. */
        @Override
        void close();
    }

    /** Who holds a lock, since when, and until when the lease runs unless extended. Immutable. */
    final class Holder {
        private final String owner;
        private final Instant since;
        private final Instant expires;

        /**
         * @param owner   the holder's name, such as a node's host name
         * @param since   when it took the lock
         * @param expires when the lease ends unless extended
         */
        public Holder(String owner, Instant since, Instant expires) {
            this.owner = Objects.requireNonNull(owner, "owner");
            this.since = Objects.requireNonNull(since, "since");
            this.expires = Objects.requireNonNull(expires, "expires");
        }

        /** @return the holder's name */
        public String owner() {
            return owner;
        }

        /** @return when it took the lock */
        public Instant since() {
            return since;
        }

        /** @return when the lease ends unless extended */
        public Instant expires() {
            return expires;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Holder that && owner.equals(that.owner) && since.equals(that.since)
                    && expires.equals(that.expires);
        }

        @Override
        public int hashCode() {
            return Objects.hash(owner, since, expires);
        }

        @Override
        public String toString() {
            return owner + " since " + since + " (lease until " + expires + ")";
        }
    }
}
