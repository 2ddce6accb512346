/**
 * A certificate store in PostgreSQL or MariaDB for the nodes of a cluster: {@code JdbcCertificateStore}
 * with its renewal lock, shared challenge tokens and change feed, and {@code StoreKey}, the key
 * that encrypts private keys at rest; {@code JdbcStorage}, a storage of bytes for core's sealed store,
 * with {@code JdbcVersion02Migration} from the tables of 0.2.
 */
module dev.autocert4j.jdbc {
    requires transitive dev.autocert4j;
    requires transitive java.sql;
    requires org.slf4j;

    exports dev.autocert4j.jdbc;

    provides dev.autocert4j.spi.CertificateStoreFactory with dev.autocert4j.jdbc.JdbcStoreFactory;
}
