package org.imapra.core;

import java.util.logging.Logger;
import javax.sql.DataSource;
import org.imapra.cluster.DataGrids;
import org.imapra.cluster.LeaseGrid;
import org.imapra.cluster.LeaseSpread;

/**
 * The cluster side of one adapter context: the data grid (members, topic), where the activations' leases live
 * ({@link LeaseStores}: the grid, or the shared database) with the rule that spreads them, and their TTL.
 */
final class ClusterLeases {

    private static final Logger LOG = Logger.getLogger(ClusterLeases.class.getName());

    private volatile LeaseGrid grid = LeaseGrid.ALONE;
    private volatile LeaseSpread leases = new LeaseSpread(LeaseGrid.ALONE);
    private volatile boolean gridGiven;
    private volatile String store = LeaseStores.AUTO;
    private volatile long ttlMillis = AdapterContext.DEFAULT_LEASE_TTL_MILLIS;

    void useGrid(LeaseGrid given) {
        grid = given;
        leases = new LeaseSpread(given);
        gridGiven = true;
    }

    void store(String setting) {
        store = LeaseStores.parse(setting);
    }

    void ttlMillis(long millis) {
        ttlMillis = millis;
    }

    long ttlMillis() {
        return ttlMillis;
    }

    LeaseGrid grid() {
        return grid;
    }

    LeaseSpread leases() {
        return leases;
    }

    /** At start: the grid looked up at {@code jndiName} (null or blank: none), unless one was given. */
    void discover(String jndiName) {
        if (!gridGiven) {
            grid = jndiName == null || jndiName.isBlank() ? LeaseGrid.ALONE : DataGrids.discover(jndiName);
            leases = new LeaseSpread(grid);
        }
    }

    /** The definitions live in {@code ds} (null: in files): the leases go there too, unless leaseStore says grid. */
    void definitionsIn(DataSource ds, String where) {
        if (ds == null && store.equals(LeaseStores.DATABASE)) {
            LOG.severe("leaseStore is database, but no definitionsDataSource is set: the leases stay "
                    + (grid.shared() ? "in the data grid" : "with this instance, which consumes alone"));
        }
        if (ds != null && LeaseStores.inDatabase(store)) {
            leases = new LeaseSpread(LeaseStores.database(ds, where, grid));
        }
    }

    /** Once the store is open: what the log should say of where this instance's leases are. */
    void started() {
        if (leases.grid() == grid) {
            grid.holdsTheLeases();
        }
        if (!leases.grid().shared()) {
            LOG.info("This instance consumes alone: no data grid, and no shared database for the leases "
                    + "(definitionsDataSource). Every activation delivers from its mailbox folder here; with several "
                    + "instances each would deliver every message (see the README, Cluster)");
        }
    }
}
