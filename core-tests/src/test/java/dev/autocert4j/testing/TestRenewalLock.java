package dev.autocert4j.testing;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.RenewalLock;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A renewal lock held by another server when told so, granted otherwise; a granted lease can be
 * made to fail its confirmation, as a lease lost to a crash or an unreachable database would.
 */
public final class TestRenewalLock implements RenewalLock {

    private RenewalLock.Holder elsewhere;
    private Runnable onGrant = () -> { };
    private boolean loseLease;
    private int granted;
    private int released;

    /** @param owner the other server that holds the lock from now on, its lease running two minutes from 2026-11-25 */
    public synchronized void heldBy(String owner) {
        Instant now = Instant.parse("2026-11-25T00:00:00Z");
        heldBy(owner, now.plus(Duration.ofMinutes(2)));
    }

    /**
     * @param owner   the other server that holds the lock from now on
     * @param expires when its lease runs out unless extended
     */
    public synchronized void heldBy(String owner, Instant expires) {
        elsewhere = new RenewalLock.Holder(owner, expires.minus(Duration.ofMinutes(2)), expires);
    }

    /** The other server gives the lock up. */
    public synchronized void release() {
        elsewhere = null;
    }

    /** @param action what happens (elsewhere) right before the lock is granted */
    public void onGrant(Runnable action) {
        onGrant = action;
    }

    /** Makes every lease's confirmation fail from now on. */
    public void loseLeases() {
        loseLease = true;
    }

    /** @return how many leases were granted */
    public int granted() {
        return granted;
    }

    /** @return how many leases were given back */
    public int released() {
        return released;
    }

    @Override
    public synchronized Optional<Lease> tryLock(String domain) {
        if (elsewhere != null) {
            return Optional.empty();
        }
        onGrant.run();
        granted++;
        return Optional.of(new Lease() {
            @Override
            public void confirm() {
                if (loseLease) {
                    throw new AutoCertException("The renewal lease of " + domain + " was lost");
                }
            }

            @Override
            public void close() {
                released++;
            }
        });
    }

    @Override
    public synchronized Optional<Holder> holder(String domain) {
        return Optional.ofNullable(elsewhere);
    }
}
