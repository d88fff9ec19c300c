package org.imapra.core;

import java.io.IOException;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.imapra.config.JdbcDefinitionStore;

/** Opens the shared definitions store in the DataSource the adapter names (adapter property definitionsDataSource). */
final class JdbcStores {

    private JdbcStores() {
    }

    /**
     * The DataSource the definitions (and, by default, the cluster leases) live in.
     *
     * @param given    a DataSource handed over directly (tests), or null
     * @param jndiName where to look the DataSource up otherwise
     */
    static DataSource lookup(DataSource given, String jndiName) throws IOException {
        DataSource ds = given;
        if (ds == null) {
            try {
                Object bound = new InitialContext().lookup(jndiName);
                if (!(bound instanceof DataSource d)) {
                    throw new IOException("definitionsDataSource " + jndiName + " is a "
                            + (bound == null ? "null" : bound.getClass().getName()) + ", not a javax.sql.DataSource");
                }
                ds = d;
            } catch (NamingException e) {
                throw new IOException("definitionsDataSource " + jndiName + " is not bound in JNDI (" + e
                        + "): define the JDBC resource (e.g. create-jdbc-resource) on every instance", e);
            }
        }
        return ds;
    }

    /** The store in {@code ds} (found by {@link #lookup}); its schema is created or migrated. */
    static JdbcDefinitionStore open(DataSource ds, boolean given, String jndiName, String masterKey)
            throws IOException {
        return JdbcDefinitionStore.open(ds, given ? "the given DataSource" : jndiName, masterKey);
    }
}
