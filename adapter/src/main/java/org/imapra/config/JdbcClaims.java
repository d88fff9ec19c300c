package org.imapra.config;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The refresh claim of a sign-in row: {@code claimed_by} / {@code claimed_until} set by one compare-and-set
 * {@code UPDATE} (free, or lapsed), cleared by its claimant. An instance that finds the row claimed waits (polling
 * every {@value #POLL_MILLIS} ms) until it is free or lapsed: then it reads the sign-in the other instance saved.
 */
final class JdbcClaims {

    private static final long POLL_MILLIS = 50;
    private static final Logger LOG = Logger.getLogger(JdbcClaims.class.getName());

    private JdbcClaims() {
    }

    static void claim(DataSource ds, String name, String claimant, long claimMillis, Clock clock)
            throws StoreException {
        long deadline = clock.millis() + claimMillis;
        try (Connection c = ds.getConnection(); PreparedStatement u = c.prepareStatement(
                "UPDATE imapra_sign_in SET claimed_by = ?, claimed_until = ? WHERE name = ? "
                        + "AND (claimed_by IS NULL OR claimed_by = ? OR claimed_until < ?)")) {
            while (true) {
                long now = clock.millis();
                u.setString(1, claimant);
                u.setLong(2, now + claimMillis);
                u.setString(3, name);
                u.setString(4, claimant);
                u.setLong(5, now);
                if (u.executeUpdate() == 1 || !exists(c, name)) {
                    return; // claimed, or no sign-in to protect (the refresh finds none)
                }
                if (now >= deadline) {
                    throw new StoreException("another instance has been refreshing the sign-in of '" + name
                            + "' for " + claimMillis + " ms", false);
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot claim the sign-in of '" + name + "' for a refresh: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for another instance's refresh of '" + name + "'",
                    false);
        }
    }

    static void end(DataSource ds, String name, String claimant) {
        try (Connection c = ds.getConnection(); PreparedStatement u = c.prepareStatement(
                "UPDATE imapra_sign_in SET claimed_by = NULL, claimed_until = NULL WHERE name = ? AND claimed_by = ?")) {
            u.setString(1, name);
            u.setString(2, claimant);
            u.executeUpdate();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "Cannot release the refresh claim of '" + name + "' (it lapses on its own): "
                    + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM imapra_sign_in WHERE name = ?")) {
            q.setString(1, name);
            try (var r = q.executeQuery()) {
                return r.next();
            }
        }
    }
}
