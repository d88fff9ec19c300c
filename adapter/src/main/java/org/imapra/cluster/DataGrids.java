package org.imapra.cluster;

import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Finds the data grid of the server the adapter runs in: the Hazelcast instance Payara Server and Payara Micro bind
 * at JNDI {@value #PAYARA_JNDI} (unless the grid is off: {@code --nocluster}, or Hazelcast disabled). On other servers
 * (WildFly, Liberty), or when no Hazelcast class is visible to the adapter, there is none: {@link LeaseGrid#ALONE}
 * (the leases may then still live in a shared database: {@code core.LeaseStores}). No
 * Hazelcast class is loaded before the JNDI lookup returned one.
 */
public final class DataGrids {

    public static final String PAYARA_JNDI = "payara/Hazelcast";
    private static final String HAZELCAST_INSTANCE = "com.hazelcast.core.HazelcastInstance";
    private static final Logger LOG = Logger.getLogger(DataGrids.class.getName());

    private DataGrids() {
    }

    /** The grid bound at {@code jndiName}, or {@link LeaseGrid#ALONE} (logged, with the reason). */
    public static LeaseGrid discover(String jndiName) {
        String why;
        try {
            Object bound = new InitialContext().lookup(jndiName);
            why = bound == null ? "nothing is bound at " + jndiName : wrap(bound);
            if (why == null) {
                LeaseGrid grid = (LeaseGrid) Class.forName("org.imapra.cluster.HazelcastLeaseGrid$Factory")
                        .getMethod("of", Object.class).invoke(null, bound);
                LOG.info("Data grid found at " + jndiName + ": this instance is " + grid.memberName() + ", one of "
                        + grid.liveMembers() + " live member(s); each (mailbox, folder) is consumed by one instance "
                        + "at a time");
                return grid;
            }
        } catch (NamingException e) {
            why = "no data grid at JNDI " + jndiName + " (" + e.getClass().getSimpleName() + ")";
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            why = "the data grid at " + jndiName + " cannot be used: " + e;
            LOG.log(Level.FINE, why, e);
        }
        LOG.info("No data grid: " + why);
        return LeaseGrid.ALONE;
    }

    /** Null when {@code bound} is a Hazelcast instance the adapter can use, else why not. */
    private static String wrap(Object bound) {
        Class<?> type;
        try {
            type = Class.forName(HAZELCAST_INSTANCE, false, DataGrids.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return "the Hazelcast classes are not visible to the resource adapter";
        }
        return type.isInstance(bound) ? null : "the object at that name is a " + bound.getClass().getName()
                + ", not a " + HAZELCAST_INSTANCE + " the adapter sees";
    }
}
