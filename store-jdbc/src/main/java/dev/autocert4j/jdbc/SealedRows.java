package dev.autocert4j.jdbc;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How this store trusts what the database returns: each row is checked against its seal and against
 * the highest generation this node has seen of it before anything in it is used; a certificate's
 * names, serial number and validity are read from the certificate itself, and its key must open with
 * the store key and match it. A row that fails is a {@link RefusedRowException}, logged once per row
 * and problem. Also gives each write its generation and seal.
 */
final class SealedRows {

    private static final Logger LOG = LoggerFactory.getLogger(SealedRows.class);

    /** The columns of a certificate row this store reads, in the order {@link #certificateRow} takes them. */
    static final String CERTIFICATE_COLUMNS = "domain, issued_at, ca_directory, account_location, chain_pem,"
            + " key_algorithm, private_key, change_seq, seal";

    private final RowSeal seal;
    private final SeenGenerations seen;
    private final StoreKey key;
    private final Map<String, String> reported = new ConcurrentHashMap<>();

    SealedRows(StoreKey key, SeenGenerations seen) {
        this.key = key;
        this.seal = new RowSeal(key);
        this.seen = seen;
    }

    /** A certificate row as stored; nothing in it is trusted until {@link #verified} says so. */
    record CertificateRow(String domain, String issuedAt, String caDirectory, String accountLocation, String chainPem,
                          String keyAlgorithm, byte[] sealedKey, long generation, byte[] seal) {

        Object[] sealedFields() {
            return new Object[] {issuedAt, caDirectory, accountLocation, chainPem, keyAlgorithm, sealedKey};
        }
    }

    /** A certificate row whose seal, generation and certificate were checked (its key not opened yet). */
    record VerifiedCertificate(CertificateRow row, List<X509Certificate> chain, CertificateMetadata metadata) {
    }

    static CertificateRow certificateRow(ResultSet row) throws SQLException {
        return new CertificateRow(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), row.getString(6), row.getBytes(7), row.getLong(8), row.getBytes(9));
    }

    /** @return the row of a certificate as this node would store it, with its generation and seal */
    CertificateRow certificateRow(IssuedCertificate certificate, long generation) {
        CertificateMetadata metadata = certificate.metadata();
        CertificateRow unsealed = new CertificateRow(metadata.domain(), metadata.issuedAt().toString(),
                text(metadata.caDirectory()), text(metadata.accountLocation()), certificate.chainPem(),
                certificate.privateKey().getAlgorithm(), CertificateCodec.sealedKey(certificate, key), generation, null);
        return withSeal(unsealed);
    }

    CertificateRow withSeal(CertificateRow row) {
        return new CertificateRow(row.domain(), row.issuedAt(), row.caDirectory(), row.accountLocation(), row.chainPem(),
                row.keyAlgorithm(), row.sealedKey(), row.generation(),
                seal.seal(RowSeal.Kind.CERTIFICATE, row.domain(), row.generation(), row.sealedFields()));
    }

    /**
     * @param domain the name the row was asked for
     * @return the row's certificate and metadata, read from the certificate
     * @throws RefusedRowException if the row is not one a holder of the store key wrote for this name,
     *                             or older than one seen, or its certificate does not name it
     */
    VerifiedCertificate verified(String domain, CertificateRow row) {
        requireSealedAndNew(RowSeal.Kind.CERTIFICATE, domain, row.generation(), row.seal(), row.sealedFields());
        try {
            List<X509Certificate> chain = CertificateCodec.chain(row.chainPem());
            CertificateMetadata metadata = CertificateMetadata.of(domain, chain.get(0), Instant.parse(row.issuedAt()),
                    uri(row.caDirectory()), uri(row.accountLocation()));
            if (!metadata.names().contains(domain)) {
                throw refused(RowSeal.Kind.CERTIFICATE, domain, "its certificate does not name " + domain, null);
            }
            return new VerifiedCertificate(row, chain, metadata);
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof RefusedRowException refused) {
                throw refused;
            }
            throw refused(RowSeal.Kind.CERTIFICATE, domain, "its certificate cannot be read: " + e.getMessage(), e);
        }
    }

    /** @return the whole certificate, its key opened with the store key and matched to the certificate */
    IssuedCertificate issued(VerifiedCertificate verified) {
        String domain = verified.metadata().domain();
        try {
            PrivateKey privateKey = CertificateCodec.privateKey(verified.row().keyAlgorithm(), verified.row().sealedKey(),
                    CertificateCodec.keyRow(domain), key);
            if (!CertificateCodec.keyMatches(privateKey, verified.chain().get(0))) {
                throw refused(RowSeal.Kind.CERTIFICATE, domain, "its key is not the certificate's key", null);
            }
            return new IssuedCertificate(verified.chain(), privateKey, verified.metadata());
        } catch (GeneralSecurityException e) {
            throw refused(RowSeal.Kind.CERTIFICATE, domain, "its key cannot be decrypted with this node's store key, or"
                    + " is damaged: " + e.getMessage(), e);
        }
    }

    /** @return whether the row's seal verifies over these fields; checks nothing else and records nothing */
    boolean sealVerifies(RowSeal.Kind kind, String name, long generation, byte[] rowSeal, Object... fields) {
        return rowSeal != null && seal.verifies(rowSeal, kind, name, generation, fields);
    }

    /**
     * Checks a row's seal and generation, and records the generation.
     *
     * @throws RefusedRowException if the seal does not verify or the generation is older than one seen
     */
    void requireSealedAndNew(RowSeal.Kind kind, String name, long generation, byte[] rowSeal, Object... fields) {
        if (rowSeal == null) {
            throw refused(kind, name, "it has no seal: it was not written by a node holding the store key", null);
        }
        if (!seal.verifies(rowSeal, kind, name, generation, fields)) {
            throw refused(kind, name, "its seal does not verify: it was edited, cut short, or copied from another"
                    + " name, by someone without the store key", null);
        }
        long highest = seen.highest(kind, name);
        if (seen.isReplay(kind, name, generation)) {
            throw refused(kind, name, "it is generation " + generation + ", older than generation " + highest
                    + " this node has already seen: an older row copied back", null);
        }
        accepted(kind, name);
    }

    /** @return a seal for a row about to be written; its generation is recorded as seen */
    byte[] sealForWrite(RowSeal.Kind kind, String name, long generation, Object... fields) {
        seen.isReplay(kind, name, generation);
        return seal.seal(kind, name, generation, fields);
    }

    /** Records a generation this node wrote (so an older row copied back over it is recognized). */
    void wrote(RowSeal.Kind kind, String name, long generation) {
        seen.isReplay(kind, name, generation);
        seen.persist();
    }

    /** Writes the record of seen generations, if it changed. */
    void persistSeen() {
        seen.persist();
    }

    /**
     * The next generation, from the sequence the change feed uses; never below one this node has
     * seen (a database restored from a backup would otherwise hand out generations already used).
     */
    long nextGeneration(Connection connection, SqlDialect dialect) throws SQLException {
        long floor = seen.highestOfAll() + 1;
        long next;
        try (PreparedStatement query = connection.prepareStatement(dialect.nextGeneration());
             ResultSet result = query.executeQuery()) {
            result.next();
            next = result.getLong(1);
        }
        if (next >= floor) {
            return next;
        }
        dialect.raiseGeneration(connection, floor);
        return floor;
    }

    /** Challenge tokens are short-lived and not replayed against: generation 0, never recorded. */
    byte[] sealForToken(String token, String domain, String keyAuthorization) {
        return seal.seal(RowSeal.Kind.TOKEN, token, 0, domain, keyAuthorization);
    }

    /** @return whether a token row is one a holder of the store key published; a refusal is logged once */
    boolean tokenVerifies(String token, String domain, String keyAuthorization, byte[] rowSeal) {
        if (seal.verifies(rowSeal, RowSeal.Kind.TOKEN, token, 0, domain, keyAuthorization)) {
            return true;
        }
        if (reported.size() > 1000) {
            reported.clear(); // a flood of forged rows is not remembered without bound
        }
        refused(RowSeal.Kind.TOKEN, token, "its seal does not verify: it was not published by a node holding the"
                + " store key; it is not answered", null);
        return false;
    }

    RefusedRowException refused(RowSeal.Kind kind, String name, String problem, Throwable cause) {
        String message = "The " + kind.name().toLowerCase(java.util.Locale.ROOT) + " row of " + name
                + " in the database is refused: " + problem + ". It is treated as missing until a node saves it again.";
        if (!message.equals(reported.put(kind + ":" + name, message))) {
            LOG.warn("{}", message);
        }
        return new RefusedRowException(message, cause);
    }

    /** A good row again: a later refusal of it is logged again. */
    void accepted(RowSeal.Kind kind, String name) {
        reported.remove(kind + ":" + name);
    }

    private static String text(URI uri) {
        return uri == null ? null : uri.toString();
    }

    private static URI uri(String text) {
        return text == null ? null : URI.create(text);
    }
}
