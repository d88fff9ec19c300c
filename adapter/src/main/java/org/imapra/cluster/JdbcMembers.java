package org.imapra.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The live instances when the leases live in the database and there is no data grid: each instance's row in
 * {@code imapra_member} holds when it last touched the leases (at most once a second; stand-bys retry several times
 * per TTL), and the instances seen within three TTLs count as live. Only the spread uses the count: a takeover never
 * waits for it.
 */
final class JdbcMembers {

    private static final long TOUCH_MILLIS = 1_000;
    private static final long COUNT_MILLIS = 1_000;
    private static final Logger LOG = Logger.getLogger(JdbcMembers.class.getName());

    private final DataSource ds;
    private final String name;
    private long lastTouch;
    private long windowMillis = 45_000;
    private long countedAt;
    private int live = 1;

    JdbcMembers(DataSource ds, String name) {
        this.ds = ds;
        this.name = name;
    }

    /** {@code -Dimapra.instanceName}, else this host's name and process id. */
    static String localName() {
        String n = System.getProperty("imapra.instanceName");
        if (n != null && !n.isBlank()) {
            return n.strip();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + " (pid " + ProcessHandle.current().pid() + ")";
    }

    String name() {
        return name;
    }

    /**
     * This instance is alive at database time {@code now}, using leases of {@code ttlMillis} (0: unknown); written
     * on {@code c}, the connection of the lease operation that read that time.
     */
    synchronized void touch(Connection c, long now, long ttlMillis) {
        if (ttlMillis > 0) {
            windowMillis = Math.max(windowMillis, 3 * ttlMillis);
        }
        if (now - lastTouch < TOUCH_MILLIS) {
            return;
        }
        try (PreparedStatement u = c.prepareStatement("UPDATE imapra_member SET seen_at = ? WHERE name = ?")) {
            JdbcLeases.timeout(u);
            u.setLong(1, now);
            u.setString(2, name);
            if (u.executeUpdate() == 0) {
                try (PreparedStatement i = c.prepareStatement(
                        "INSERT INTO imapra_member (name, seen_at) VALUES (?, ?)")) {
                    JdbcLeases.timeout(i);
                    i.setString(1, name);
                    i.setLong(2, now);
                    i.executeUpdate();
                }
            }
            lastTouch = now;
        } catch (SQLException e) {
            // the count is only for the spread: the lease operation itself reports a database that fails
            LOG.log(Level.FINE, "Cannot record this instance in imapra_member: " + e.getMessage(), e);
        }
    }

    /** The instances seen within three TTLs (this one included), counted at most once a second. */
    synchronized int live(long now) {
        if (now - countedAt < COUNT_MILLIS) {
            return live;
        }
        try (Connection c = ds.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM imapra_member WHERE seen_at > ? "
                     + "OR name = ?")) {
            JdbcLeases.timeout(q);
            q.setLong(1, now - windowMillis);
            q.setString(2, name);
            try (ResultSet r = q.executeQuery()) {
                live = r.next() ? Math.max(1, r.getInt(1)) : 1;
            }
            countedAt = now;
        } catch (SQLException e) {
            LOG.log(Level.FINE, "Cannot count the instances in imapra_member: " + e.getMessage(), e);
        }
        return live;
    }
}
