package org.imapra.core;

import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.imapra.cluster.JdbcLeases;
import org.imapra.cluster.LeaseGrid;

/**
 * Where the activations' cluster leases live: the adapter property {@code leaseStore}. {@code auto} (the default):
 * in the shared database when there is one ({@code definitionsDataSource}), else in the data grid, else nowhere
 * (this instance consumes alone); {@code grid}: in the data grid even with a database; {@code database}: in the
 * database, which must then be configured. Members and the definitions topic stay with the data grid either way.
 */
public final class LeaseStores {

    public static final String AUTO = "auto";
    public static final String GRID = "grid";
    public static final String DATABASE = "database";
    private static final Logger LOG = Logger.getLogger(LeaseStores.class.getName());

    private LeaseStores() {
    }

    /** The setting, normalised; an unknown one is refused with the values allowed. */
    public static String parse(String value) {
        String v = value == null || value.isBlank() ? AUTO : value.strip().toLowerCase(Locale.ROOT);
        if (!v.equals(AUTO) && !v.equals(GRID) && !v.equals(DATABASE)) {
            throw new IllegalArgumentException("leaseStore must be auto, grid or database, not '" + value + "'");
        }
        return v;
    }

    /** Whether the leases go to the database when there is one ({@code database} or {@code auto}). */
    static boolean inDatabase(String setting) {
        return !setting.equals(GRID);
    }

    /**
     * The leases in {@code ds} (whose schema is migrated), members and topic from {@code grid}; when the database
     * cannot be used, the grid's own leases (one consumer still, if there is a grid), with the reason logged.
     */
    static LeaseGrid database(DataSource ds, String where, LeaseGrid grid) {
        try {
            LeaseGrid leases = new JdbcLeases(ds, grid);
            LOG.info("Cluster leases in the database " + where + " (leaseStore): this instance is "
                    + leases.memberName() + "; each (mailbox, folder) is consumed by one instance at a time, the "
                    + "database deciding who (a takeover comes within leaseTtlSeconds and one retry, whatever the "
                    + (grid.shared() ? "data grid does" : "number of instances") + ")");
            return leases;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "The cluster leases cannot be kept in the database " + where + ": " + e.getMessage()
                    + (grid.shared() ? "; they stay in the data grid" : "; without a data grid this instance "
                    + "consumes alone, and other instances on the same folders deliver the same messages"), e);
            return grid;
        }
    }
}
