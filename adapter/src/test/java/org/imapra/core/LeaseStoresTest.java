package org.imapra.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import javax.sql.DataSource;
import org.imapra.cluster.JdbcLeases;
import org.imapra.cluster.Lease;
import org.imapra.cluster.LeaseGrid;
import org.imapra.config.TestDatabases;
import org.imapra.testsupport.LogCapture;
import org.imapra.testsupport.ThreadWorkManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where an adapter context keeps its cluster leases (leaseStore): in the shared database by default when there is
 * one (even without a data grid, then one consumer per folder still), alone without either, and the log says which.
 */
class LeaseStoresTest {

    @TempDir
    Path dir;
    LogCapture logs;
    AdapterContext context;
    ThreadWorkManager work;

    @BeforeEach
    void logs() {
        logs = LogCapture.install("org.imapra");
        work = new ThreadWorkManager("lease-stores");
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
        logs.uninstall();
    }

    @Test
    void withASharedDatabaseAndNoGridTheLeasesLiveInTheDatabase() {
        DataSource ds = TestDatabases.newDatabase();
        context = new AdapterContext();
        context.useDefinitionsDataSource(ds, TestDatabases.masterKey(), 60_000);
        context.start(work, dir);
        LeaseGrid leases = context.leases().grid();
        assertInstanceOf(JdbcLeases.class, leases);
        assertTrue(leases.shared());
        assertSame(LeaseGrid.ALONE, context.grid(), "members and topic: no grid");
        Lease held = leases.acquire("k", "t", 60_000);
        AdapterContext other = new AdapterContext();
        other.useDefinitionsDataSource(ds, TestDatabases.masterKey(), 60_000);
        other.start(new ThreadWorkManager("other"), dir.resolve("other"));
        try {
            assertEquals(null, other.leases().grid().acquire("k", "u", 60_000), "a second holder");
            assertEquals(held.token(), other.leases().grid().holder("k").token());
        } finally {
            other.stop();
        }
        assertEquals(List.of(), logs.messages(Level.INFO, m -> m.startsWith("This instance consumes alone")));
        assertEquals(2, logs.messages(Level.INFO, m -> m.startsWith("Cluster leases in the database")).size(),
                "once per instance");
    }

    @Test
    void withLeaseStoreGridAndNoGridThisInstanceConsumesAloneAndSaysSo() {
        context = new AdapterContext();
        context.useDefinitionsDataSource(TestDatabases.newDatabase(), TestDatabases.masterKey(), 60_000);
        context.leaseStore("GRID");
        context.start(work, dir);
        assertFalse(context.leases().grid().shared());
        assertEquals(1, logs.messages(Level.INFO, m -> m.startsWith("This instance consumes alone")).size());
    }

    @Test
    void withoutADatabaseTheLeasesStayWithTheGridAndADatabaseLeaseStoreIsReportedAsMissing() {
        context = new AdapterContext();
        context.leaseStore("database");
        context.start(work, dir);
        assertFalse(context.leases().grid().shared());
        assertEquals(1, logs.messages(Level.SEVERE, m -> m.contains("leaseStore is database, but no "
                + "definitionsDataSource is set")).size());
        assertEquals(1, logs.messages(Level.INFO, m -> m.startsWith("This instance consumes alone")).size());
    }

    @Test
    void anUnknownLeaseStoreIsRefusedWithTheValuesAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LeaseStores.parse("redis"));
        assertEquals("leaseStore must be auto, grid or database, not 'redis'", e.getMessage());
        assertEquals(LeaseStores.AUTO, LeaseStores.parse(" "));
    }
}
