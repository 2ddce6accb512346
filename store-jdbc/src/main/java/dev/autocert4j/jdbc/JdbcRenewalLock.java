package dev.autocert4j.jdbc;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.RenewalLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The renewal lock as a lease in the table {@code autocert4j_leases}: a row per domain naming its
 * owner, taken only when absent or expired, extended by its holder every third of its length while
 * the renewal runs, and confirmed in the database right before the CA issues. A node that crashed
 * holds it at most one lease length; one that cannot reach the database cannot confirm, so it stops.
 * Lease times are taken and compared on the database's clock (read in each statement),
 * never a node's: a node whose clock runs ahead or behind neither takes a live lease nor keeps one
 * past its time. A node's clock only translates the holder's times for its status.
 */
final class JdbcRenewalLock implements RenewalLock {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcRenewalLock.class);

    private final LeaseStatements database;
    private final String owner;
    private final Duration length;
    private final Clock clock;
    private final ScheduledExecutorService heartbeat;

    JdbcRenewalLock(LeaseStatements database, String owner, Duration length, Clock clock, ScheduledExecutorService heartbeat) {
        this.database = database;
        this.owner = owner;
        this.length = length;
        this.clock = clock;
        this.heartbeat = heartbeat;
    }

    @Override
    public Optional<Lease> tryLock(String domain) {
        String token = UUID.randomUUID().toString();
        boolean taken = database.call("taking the renewal lease of " + domain, connection ->
                database.dialect().takeLease(connection, domain, owner, token, length.toMillis()));
        if (!taken) {
            return Optional.empty();
        }
        LOG.debug("{} took the renewal lease of {}", owner, domain);
        return Optional.of(new HeldLease(domain, token));
    }

    /** The holder, its times shifted from the database's clock onto this node's (what this node's status shows). */
    @Override
    public Optional<Holder> holder(String domain) {
        return database.call("reading the renewal lease of " + domain, connection -> {
            String now = database.dialect().nowMillis();
            try (PreparedStatement query = connection.prepareStatement("SELECT owner, acquired_at, expires_at, " + now
                    + " FROM autocert4j_leases WHERE domain = ? AND expires_at >= " + now)) {
                query.setString(1, domain);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    long toNodeClock = clock.millis() - row.getLong(4);
                    return Optional.of(new Holder(row.getString(1), Instant.ofEpochMilli(row.getLong(2) + toNodeClock),
                            Instant.ofEpochMilli(row.getLong(3) + toNodeClock)));
                }
            }
        });
    }

    /** A lease this node holds, extended in the background until closed. */
    private final class HeldLease implements Lease {
        private final String domain;
        private final String token;
        private final ScheduledFuture<?> extending;

        HeldLease(String domain, String token) {
            this.domain = domain;
            this.token = token;
            long every = Math.max(1, length.toMillis() / 3);
            this.extending = heartbeat.scheduleWithFixedDelay(this::extendQuietly, every, every, TimeUnit.MILLISECONDS);
        }

        @Override
        public void confirm() {
            if (!extend()) {
                throw new AutoCertException("The renewal lease of " + domain + " is no longer " + owner
                        + "'s (it expired, or another node took it over): stopping before the CA issues a certificate");
            }
        }

        private boolean extend() {
            String now = database.dialect().nowMillis();
            return database.update("extending the renewal lease of " + domain, "UPDATE autocert4j_leases SET expires_at = "
                    + now + " + ? WHERE domain = ? AND token = ? AND expires_at >= " + now,
                    length.toMillis(), domain, token) == 1;
        }

        private void extendQuietly() {
            try {
                if (!extend()) {
                    LOG.warn("{} lost the renewal lease of {}", owner, domain);
                    extending.cancel(false);
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not extend the renewal lease of {}: {}", domain, e.getMessage());
            }
        }

        @Override
        public void close() {
            extending.cancel(false);
            try {
                database.update("giving back the renewal lease of " + domain,
                        "DELETE FROM autocert4j_leases WHERE domain = ? AND token = ?", domain, token);
            } catch (RuntimeException e) {
                LOG.warn("Could not give back the renewal lease of {}; it expires by itself: {}", domain, e.getMessage());
            }
        }
    }
}
