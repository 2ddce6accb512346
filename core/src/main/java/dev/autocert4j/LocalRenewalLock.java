package dev.autocert4j;

import java.util.Optional;

/** {@link RenewalLock#local()}: one server, so the lock is always granted; the keeper already works on a domain one thread at a time. */
final class LocalRenewalLock implements RenewalLock {

    static final LocalRenewalLock INSTANCE = new LocalRenewalLock();

    private static final Lease HELD = new Lease() {
        @Override
        public void confirm() {
        }

        @Override
        public void close() {
        }
    };

    private LocalRenewalLock() {
    }

    @Override
    public Optional<Lease> tryLock(String domain) {
        return Optional.of(HELD);
    }

    @Override
    public Optional<Holder> holder(String domain) {
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "RenewalLock.local()";
    }
}
