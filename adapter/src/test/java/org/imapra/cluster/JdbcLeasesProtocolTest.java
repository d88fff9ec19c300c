package org.imapra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.imapra.config.JdbcDefinitionStore;
import org.imapra.config.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link LeaseContract} on the leases in a real PostgreSQL ({@link JdbcLeases}, no data grid: two instances named
 * a and b sharing the database), and what only the database gives: members counted without a grid, and a holder
 * cut off from the database losing its lease while nobody else can take it early.
 */
class JdbcLeasesProtocolTest extends LeaseContract {

    static DataSource ds;

    @BeforeAll
    static void start() throws Exception {
        ds = TestDatabases.newDatabase();
        JdbcDefinitionStore.open(ds, "test", TestDatabases.masterKey()); // the schema, leases included
        a = new JdbcLeases(ds, LeaseGrid.ALONE, "a");
        b = new JdbcLeases(ds, LeaseGrid.ALONE, "b");
    }

    @Test
    void withoutADataGridTheInstancesUsingTheDatabaseAreCounted() throws Exception {
        DataSource own = TestDatabases.newDatabase();
        JdbcDefinitionStore.open(own, "test", TestDatabases.masterKey());
        JdbcLeases x = new JdbcLeases(own, LeaseGrid.ALONE, "x");
        assertEquals(1, x.liveMembers());
        new JdbcLeases(own, LeaseGrid.ALONE, "y");
        JdbcLeases z = new JdbcLeases(own, LeaseGrid.ALONE, "z");
        assertEquals(3, z.liveMembers());
        assertEquals("z", z.memberName());
        assertTrue(x.shared(), "the leases are shared through the database");
    }

    @Test
    void withADataGridMembersAndTopicComeFromTheGridAndTheLeasesFromTheDatabase() {
        EmbeddedGrid grid = new EmbeddedGrid();
        try {
            LeaseGrid member = new HazelcastLeaseGrid(grid.startMember("g"));
            JdbcLeases g = new JdbcLeases(ds, member, "unused");
            assertEquals(member.memberName(), g.memberName());
            assertEquals(1, g.liveMembers());
            Lease held = g.acquire("grid-key", "t", 60_000);
            assertNotNull(held);
            assertEquals(held, a.entry("grid-key"), "the lease is in the database, seen without the grid");
            assertNull(member.entry("grid-key"), "nothing of it in the grid");
        } finally {
            grid.close();
        }
    }

    @Test
    void theTwoHalvesOfASplitGridEachGrantTheLeaseInTheGridButOnlyOneInTheDatabase() {
        // a split brain: two grids that do not see each other (each half goes on as a cluster of its own)
        try (EmbeddedGrid left = new EmbeddedGrid(); EmbeddedGrid right = new EmbeddedGrid()) {
            LeaseGrid leftGrid = new HazelcastLeaseGrid(left.startMember("left"));
            LeaseGrid rightGrid = new HazelcastLeaseGrid(right.startMember("right"));
            assertNotNull(leftGrid.acquire("split", "l", 60_000));
            assertNotNull(rightGrid.acquire("split", "r", 60_000), "each half of the grid grants its own lease");
            JdbcLeases leftDb = new JdbcLeases(ds, leftGrid);
            JdbcLeases rightDb = new JdbcLeases(ds, rightGrid);
            Lease held = leftDb.acquire("split", "l", 60_000);
            assertNotNull(held);
            assertNull(rightDb.acquire("split", "r", 60_000), "the other half took the lease in the database too");
            assertEquals(held, rightDb.holder("split"));
        }
    }

    @Test
    void aHolderCutOffFromTheDatabaseCannotRenewAndTheLeaseIsTakenOnlyOnceItExpired() throws Exception {
        String user = "cut_" + System.nanoTime();
        String url = ((PGSimpleDataSource) ds).getURL();
        admin("CREATE ROLE " + user + " LOGIN PASSWORD 'x' SUPERUSER");
        PGSimpleDataSource own = new PGSimpleDataSource();
        own.setURL(url);
        own.setUser(user);
        own.setPassword("x");
        JdbcLeases cut = new JdbcLeases(own, LeaseGrid.ALONE, "cut");
        Lease held = cut.acquire("cut-key", "t", 2_000);
        assertNotNull(held);
        admin("ALTER ROLE " + user + " NOLOGIN"); // the database refuses this instance from now on
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cut.renew(held, 1_000));
        assertTrue(e.getMessage().contains("imapra_lease"), e.getMessage());
        Lease early = b.acquire("cut-key", "u", 60_000);
        assertTrue(early == null || early.since() >= held.expiresAt(), "taken before the cut-off holder's lease "
                + "expired: " + early + " over " + held);
        while (early == null && b.now() < held.expiresAt()) {
            Thread.sleep(20); // the database's clock passes the expiry (bounded by the 2 s TTL)
        }
        Lease taken = early != null ? early : b.acquire("cut-key", "u", 60_000);
        assertNotNull(taken, "not taken once expired");
        assertEquals(held.epoch() + 1, taken.epoch());
        admin("ALTER ROLE " + user + " LOGIN"); // the cut heals: the old holding is not renewed
        assertNull(cut.renew(held, 1_000), "the old holder renewed a lease taken by another");
    }

    private static void admin(String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
