package org.imapra.config;

import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The delegated sign-ins of {@link JdbcDefinitionStore}: one row per definition, its refresh token encrypted with the
 * master key. A change is a row-locked read-compare-write; a refresh claims the row for {@link #CLAIM_MILLIS} at
 * most, so that two instances never present the same (rotating) refresh token.
 */
final class JdbcSignIns {

    /** How long a refresh may hold its claim (a crashed instance's claim lapses after it). */
    static final long CLAIM_MILLIS = 30_000;

    private final DataSource ds;
    private final String location;
    private final SecretCipher cipher;
    private final Clock clock;
    private final String claimant = UUID.randomUUID().toString();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    JdbcSignIns(DataSource ds, String location, SecretCipher cipher, Clock clock) {
        this.ds = ds;
        this.location = location;
        this.cipher = cipher;
        this.clock = clock;
    }

    Object lock(String name) {
        return locks.computeIfAbsent(name, k -> new Object());
    }

    Optional<SignInState> state(String name) throws StoreException {
        try (Connection c = ds.getConnection()) {
            return Optional.ofNullable(read(c, name, false));
        } catch (SQLException e) {
            throw JdbcRows.failure(location, "read the sign-in of '" + name + "'", e);
        }
    }

    void save(String name, SignInState s) throws StoreException {
        synchronized (lock(name)) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try {
                    String json = SignInJson.write(name, s, cipher, clock.instant()).toString();
                    int n;
                    try (PreparedStatement u = c.prepareStatement(
                            "UPDATE imapra_sign_in SET body = ?, epoch = epoch + 1 WHERE name = ?")) {
                        u.setString(1, json);
                        u.setString(2, name);
                        n = u.executeUpdate();
                    }
                    if (n == 0) {
                        try (PreparedStatement i = c.prepareStatement(
                                "INSERT INTO imapra_sign_in (name, body, epoch) VALUES (?, ?, 1)")) {
                            i.setString(1, name);
                            i.setString(2, json);
                            i.executeUpdate();
                        }
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw JdbcRows.failure(location, "save the sign-in of '" + name + "'", e);
            }
        }
    }

    /** The row is locked (SELECT ... FOR UPDATE) from the read to the write: no other instance changes it between. */
    boolean update(String name, SignInState expected, UnaryOperator<SignInState> change)
            throws StoreException {
        synchronized (lock(name)) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try {
                    SignInState current = read(c, name, true);
                    if (expected == null || current == null || !current.sameSignIn(expected)) {
                        c.rollback();
                        return false;
                    }
                    try (PreparedStatement u = c.prepareStatement(
                            "UPDATE imapra_sign_in SET body = ? WHERE name = ?")) {
                        u.setString(1, SignInJson.write(name, change.apply(current), cipher, clock.instant())
                                .toString());
                        u.setString(2, name);
                        u.executeUpdate();
                    }
                    c.commit();
                    return true;
                } catch (SQLException | StoreException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw JdbcRows.failure(location, "update the sign-in of '" + name + "'", e);
            }
        }
    }

    void claim(String name) throws StoreException {
        JdbcClaims.claim(ds, name, claimant, CLAIM_MILLIS, clock);
    }

    void end(String name) {
        JdbcClaims.end(ds, name, claimant);
    }

    private SignInState read(Connection c, String name, boolean forUpdate) throws SQLException, StoreException {
        try (PreparedStatement q = c.prepareStatement("SELECT body FROM imapra_sign_in WHERE name = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            q.setString(1, name);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                try {
                    return SignInJson.read(JdbcRows.json(r.getString(1)), name, cipher);
                } catch (GeneralSecurityException e) {
                    throw new StoreException("The sign-in of '" + name + "' in " + location + " cannot be decrypted: "
                            + "it was written with another master key or altered; connect the mailbox again", e);
                } catch (RuntimeException e) {
                    throw new StoreException("The sign-in of '" + name + "' in " + location + " is invalid ("
                            + e.getMessage() + "); connect the mailbox again", e);
                }
            }
        }
    }
}
