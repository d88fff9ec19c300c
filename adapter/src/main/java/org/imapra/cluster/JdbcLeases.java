package org.imapra.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * {@link LeaseGrid} whose leases live in the shared database (table {@code imapra_lease}: one row per key holding
 * {@link Lease#encode()}), for the instances of a cluster that share a {@code definitionsDataSource}. Every change is
 * a compare-and-set on the whole holding ({@code UPDATE ... WHERE body = ?}, or an {@code INSERT} that the primary
 * key refuses to a second taker); expiry is judged on the database's clock, read in the same round trip as the row.
 * The database is the one arbiter: a member cut off from the others but not from the database keeps its lease (and
 * still consumes alone), a member cut off from the database cannot renew and stops, and a split of the data grid
 * cannot grant two leases; nothing waits for the grid's failure detection. Members, their count and the topic come
 * from {@code base}, the data grid, when there is one; without one, from the table {@code imapra_member}
 * ({@link JdbcMembers}) and no topic (the definitions store polls). The tables are created by the definitions store's
 * schema migration, which runs first.
 */
public final class JdbcLeases implements LeaseGrid {

    private final DataSource ds;
    private final LeaseGrid base;
    private final JdbcMembers members;
    private final String memberName;
    /** The database's clock minus this host's, as last read. */
    private volatile long offset;

    /**
     * @param base the data grid for members and topic, or {@link LeaseGrid#ALONE}: then this instance announces
     *             itself in {@code imapra_member} (named by {@code -Dimapra.instanceName}, else host and process)
     */
    public JdbcLeases(DataSource ds, LeaseGrid base) {
        this(ds, base, JdbcMembers.localName());
    }

    /** @param nameWithoutGrid this instance's name in {@code imapra_member} when there is no data grid */
    JdbcLeases(DataSource ds, LeaseGrid base, String nameWithoutGrid) {
        this.ds = ds;
        this.base = base;
        this.members = base.shared() ? null : new JdbcMembers(ds, nameWithoutGrid);
        this.memberName = base.shared() ? base.memberName() : members.name();
        read("", 0); // the database's clock, and (without a grid) this member announced
    }

    @Override
    public String memberName() {
        return memberName;
    }

    @Override
    public int liveMembers() {
        return members == null ? base.liveMembers() : members.live(now());
    }

    @Override
    public long now() {
        return System.currentTimeMillis() + offset;
    }

    @Override
    public Lease acquire(String key, String token, long ttlMillis) {
        Row row = read(key, ttlMillis);
        if (row.body == null) {
            Lease taken = new Lease(key, memberName, token, 1, row.now + ttlMillis, row.now);
            return insert(key, taken.encode()) ? taken : null;
        }
        Lease held = Lease.decode(key, row.body);
        if (!held.expired(row.now)) {
            return null;
        }
        Lease taken = new Lease(key, memberName, token, held.epoch() + 1, row.now + ttlMillis, row.now);
        return replace(key, row.body, taken.encode()) ? taken : null;
    }

    @Override
    public Lease renew(Lease held, long ttlMillis) {
        Row row = read(held.key(), ttlMillis);
        if (held.expired(row.now)) {
            return null; // expired under its holder: another may have taken it, or may at any moment
        }
        Lease renewed = held.renewed(row.now + ttlMillis);
        return replace(held.key(), held.encode(), renewed.encode()) ? renewed : null;
    }

    @Override
    public void release(Lease held) {
        replace(held.key(), held.encode(), Lease.free(held.key(), held.epoch(), read(held.key(), 0).now).encode());
    }

    @Override
    public Lease holder(String key) {
        Row row = read(key, 0);
        if (row.body == null) {
            return null;
        }
        Lease l = Lease.decode(key, row.body);
        return l.expired(row.now) ? null : l;
    }

    @Override
    public Lease entry(String key) {
        Row row = read(key, 0);
        return row.body == null ? null : Lease.decode(key, row.body);
    }

    @Override
    public void publish(String topic, String message) {
        base.publish(topic, message);
    }

    @Override
    public Runnable subscribe(String topic, Consumer<String> listener) {
        return base.subscribe(topic, listener);
    }

    /** The row of {@code key} (null body: none) and the database's clock, in one round trip. */
    private Row read(String key, long ttlMillis) {
        try (Connection c = ds.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT CURRENT_TIMESTAMP, (SELECT body FROM imapra_lease WHERE lease_key = ?)")) {
            timeout(q);
            q.setString(1, key);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                long now = r.getTimestamp(1).getTime();
                offset = now - System.currentTimeMillis();
                String body = r.getString(2);
                if (members != null) {
                    members.touch(c, now, ttlMillis); // on this connection: no second one from the pool
                }
                return new Row(now, body);
            }
        } catch (SQLException e) {
            throw failure("read the lease of " + key, e);
        }
    }

    private boolean insert(String key, String body) {
        try (Connection c = ds.getConnection(); PreparedStatement u = c.prepareStatement(
                "INSERT INTO imapra_lease (lease_key, body) VALUES (?, ?)")) {
            timeout(u);
            u.setString(1, key);
            u.setString(2, body);
            return u.executeUpdate() == 1;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false; // another instance inserted it first: it holds the lease
            }
            throw failure("take the lease of " + key, e);
        }
    }

    private boolean replace(String key, String expected, String body) {
        try (Connection c = ds.getConnection(); PreparedStatement u = c.prepareStatement(
                "UPDATE imapra_lease SET body = ? WHERE lease_key = ? AND body = ?")) {
            timeout(u);
            u.setString(1, body);
            u.setString(2, key);
            u.setString(3, expected);
            return u.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("write the lease of " + key, e);
        }
    }

    /** A statement that hangs (database unreachable) must not outlast the lease it is about. */
    static void timeout(PreparedStatement s) throws SQLException {
        s.setQueryTimeout(5);
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("Cannot " + what + " in the database (imapra_lease): " + e.getMessage(), e);
    }

    private record Row(long now, String body) {
    }
}
