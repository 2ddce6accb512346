package dev.autocert4j.jdbc;

import dev.autocert4j.ChallengeTokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Optional;

/**
 * Challenge tokens in the table {@code autocert4j_challenges}, so that every node answers the
 * tokens any node published. A token is kept an hour at most (a validation takes seconds), on the
 * database's clock; expired ones are deleted whenever a token is published. Each row is sealed with
 * its token, domain and key authorization: a row written without the store key is never answered.
 * (A withdrawn row copied back is answered until it expires; it only repeats an answer already given.)
 */
final class JdbcChallengeTokens implements ChallengeTokenStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcChallengeTokens.class);
    static final Duration KEEP = Duration.ofHours(1);

    private final Database database;
    private final SealedRows rows;

    JdbcChallengeTokens(Database database, SealedRows rows) {
        this.database = database;
        this.rows = rows;
    }

    @Override
    public void put(String domain, String token, String keyAuthorization) {
        database.transaction("publishing a challenge token", connection -> {
            SqlDialect dialect = database.dialect();
            try (PreparedStatement expired = connection.prepareStatement(
                    "DELETE FROM autocert4j_challenges WHERE expires_at < " + dialect.nowMillis());
                 PreparedStatement put = connection.prepareStatement(dialect.upsert("autocert4j_challenges", "token",
                         "token, domain, key_authorization, expires_at, seal",
                         "?, ?, ?, " + dialect.nowMillis() + " + ?, ?"))) {
                expired.executeUpdate();
                put.setString(1, token);
                put.setString(2, domain);
                put.setString(3, keyAuthorization);
                put.setLong(4, KEEP.toMillis());
                put.setBytes(5, rows.sealForToken(token, domain, keyAuthorization));
                return put.executeUpdate();
            }
        });
    }

    @Override
    public void remove(String token) {
        try {
            database.update("withdrawing a challenge token", "DELETE FROM autocert4j_challenges WHERE token = ?", token);
        } catch (RuntimeException e) {
            LOG.warn("Could not withdraw a challenge token; it expires within {}: {}", KEEP, e.getMessage());
        }
    }

    @Override
    public Optional<Answer> find(String token) {
        return database.call("looking up a challenge token", connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT domain, key_authorization, seal"
                    + " FROM autocert4j_challenges WHERE token = ? AND expires_at >= " + database.dialect().nowMillis())) {
                query.setString(1, token);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    String domain = row.getString(1);
                    String keyAuthorization = row.getString(2);
                    return rows.tokenVerifies(token, domain, keyAuthorization, row.getBytes(3))
                            ? Optional.of(new Answer(domain, keyAuthorization)) : Optional.empty();
                }
            }
        });
    }
}
