package dev.autocert4j.jdbc;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.RenewalLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two nodes sharing a {@link JdbcStorage}: one lease per name at a time, its holder shown, a lease
 * that ran out on the database's clock taken over (the holder then cannot confirm it), and each node
 * told of the keys the other wrote or deleted, never of its own. A subclass per database says which
 * ({@link PostgresSharedStorageTest}, {@link MariaDbSharedStorageTest}).
 */
abstract class JdbcSharedStorageTest {

    private DataSource dataSource;
    private final List<JdbcStorage> opened = new ArrayList<>();

    /** @return the JDBC URL of a new, empty database */
    protected abstract String freshDatabase();

    @BeforeEach
    void useFreshDatabase() {
        dataSource = Databases.plain(freshDatabase());
    }

    @AfterEach
    void closeNodes() {
        opened.forEach(JdbcStorage::close);
    }

    private RenewalLock node(String name) {
        return storage(name).locks().orElseThrow();
    }

    private JdbcStorage storage(String name) {
        JdbcStorage storage = JdbcStorage.shared(dataSource, name, Duration.ofMinutes(2));
        opened.add(storage);
        return storage;
    }

    @Test
    void eachNodeIsToldOfTheKeysTheOtherWroteOrDeletedNeverOfItsOwn() throws Exception {
        JdbcStorage first = storage("node-1");
        JdbcStorage second = storage("node-2");
        first.put("certificates/before", new byte[] {0});
        java.util.concurrent.BlockingQueue<String> toldSecond = new java.util.concurrent.LinkedBlockingQueue<>();
        try (AutoCloseable watching = second.watch(toldSecond::add)) {
            second.put("certificates/own", new byte[] {1});
            first.put("certificates/portal.example.com", new byte[] {2});

            assertThat(toldSecond.poll(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("certificates/portal.example.com");
            first.delete("certificates/before");
            assertThat(toldSecond.poll(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("certificates/before");
            second.put("certificates/own", new byte[] {3});
            first.put("certificates/last", new byte[] {4});
            assertThat(toldSecond.poll(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("certificates/last");
            assertThat(toldSecond).as("never its own writes").isEmpty();
        }
    }

    @Test
    void aStorageOfOneNodeHasNoLock() {
        assertThat(new JdbcStorage(dataSource).locks()).isEmpty();
    }

    @Test
    void oneNodeAtATimeHoldsTheLeaseOfANameAndTheOthersSeeWho() {
        RenewalLock first = node("node-1");
        RenewalLock second = node("node-2");

        Optional<RenewalLock.Lease> held = first.tryLock("portal.example.com");
        assertThat(held).isPresent();
        assertThat(second.tryLock("portal.example.com")).isEmpty();
        assertThat(second.tryLock("other.example.com")).as("another name is free").isPresent();
        assertThat(second.holder("portal.example.com")).map(RenewalLock.Holder::owner).contains("node-1");
        held.get().confirm();

        held.get().close();
        assertThat(second.tryLock("portal.example.com")).isPresent();
    }

    @Test
    void aLeaseThatRanOutOnTheDatabasesClockIsTakenOverAndItsHolderMustStop() throws Exception {
        RenewalLock first = node("node-1");
        RenewalLock.Lease held = first.tryLock("portal.example.com").orElseThrow();

        Databases.update(dataSource, "UPDATE autocert4j_leases SET expires_at = expires_at - 600000");

        assertThat(node("node-2").tryLock("portal.example.com")).isPresent();
        assertThatThrownBy(held::confirm).isInstanceOf(AutoCertException.class).hasMessageContaining("no longer");
    }
}
