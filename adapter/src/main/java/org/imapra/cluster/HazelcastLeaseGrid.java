package org.imapra.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link LeaseGrid} on a Hazelcast member (Payara's data grid, or one a test starts). The leases live in the map
 * {@value #MAP}: one entry per key whose value is {@link Lease#encode()} (a String, so the grid never deserialises an
 * adapter class); every change is a compare-and-set ({@code putIfAbsent}, {@code replace(key, old, new)}), so two
 * members never both take or renew the same holding. Expiry is judged on the grid's cluster clock, not by an entry
 * TTL: a free or expired entry stays, keeping the epoch, which therefore only grows while the entry lives (should a
 * member die with the only copy of it, the next holder starts again at epoch 1: the fence still holds, as it compares
 * the whole holding, this holder's token included).
 */
public final class HazelcastLeaseGrid implements LeaseGrid {

    static final String MAP = "imapra-leases";
    /** Payara's name of the instance a member belongs to (HazelcastCore.INSTANCE_ATTRIBUTE). */
    private static final String PAYARA_INSTANCE = "GLASSFISH-INSTANCE";
    private static final String SHUTDOWN_HOOK = "hazelcast.shutdownhook.enabled";
    private static final Logger LOG = Logger.getLogger(HazelcastLeaseGrid.class.getName());

    private final HazelcastInstance hz;
    private final IMap<String, String> leases;
    private final String memberName;

    /** Reflective entry of {@link DataGrids}, so that no Hazelcast class is loaded when there is no grid. */
    public static final class Factory {
        private Factory() {
        }

        public static LeaseGrid of(Object hazelcastInstance) {
            return new HazelcastLeaseGrid((HazelcastInstance) hazelcastInstance);
        }
    }

    public HazelcastLeaseGrid(HazelcastInstance hz) {
        this.hz = hz;
        this.leases = hz.getMap(MAP);
        this.memberName = nameOf(hz);
    }

    @Override
    public void holdsTheLeases() {
        warnOfShutdownHook(hz);
    }

    /**
     * Hazelcast's own JVM shutdown hook ends the member as soon as the JVM is told to stop (SIGTERM), while the server
     * is still stopping its applications: the activations then cannot release their leases, and another instance
     * takes over only when they expire. Measured in cluster-it on Payara Micro: 6.5 s with it at a 6 s TTL, 1.4 s
     * without. Leases kept in a database are released there, whatever the grid does.
     */
    private static void warnOfShutdownHook(HazelcastInstance hz) {
        String enabled = null;
        try {
            enabled = hz.getConfig().getProperty(SHUTDOWN_HOOK);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Cannot read the data grid's configuration", e);
        }
        if (enabled == null) {
            enabled = System.getProperty(SHUTDOWN_HOOK, "true");
        }
        if (Boolean.parseBoolean(enabled.strip())) {
            LOG.warning("The data grid's own shutdown hook is on (" + SHUTDOWN_HOOK + "): when this server is "
                    + "stopped with a signal, its grid member may leave before the activations release their "
                    + "leases, and other instances then take over only when the leases expire. Start the server with "
                    + "-D" + SHUTDOWN_HOOK + "=false (the server still ends its grid after the applications)");
        }
    }

    /** Payara's instance name of the local member, else {@code -Dimapra.instanceName}, else its address. */
    private static String nameOf(HazelcastInstance hz) {
        Member local = hz.getCluster().getLocalMember();
        String name = local.getAttribute(PAYARA_INSTANCE);
        if (name == null) {
            try {
                Object attributes = hz.getMap("payara-instance-map").get(local.getUuid());
                if (attributes instanceof Map<?, ?> m && m.get(PAYARA_INSTANCE) != null) {
                    name = m.get(PAYARA_INSTANCE).toString();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "No Payara instance name in the data grid", e);
            }
        }
        if (name == null) {
            name = System.getProperty("imapra.instanceName");
        }
        String address = local.getAddress().getHost() + ":" + local.getAddress().getPort();
        return name == null || name.isBlank() ? address : name + " (" + address + ")";
    }

    @Override
    public String memberName() {
        return memberName;
    }

    @Override
    public int liveMembers() {
        return Math.max(1, hz.getCluster().getMembers().size());
    }

    @Override
    public long now() {
        return hz.getCluster().getClusterTime();
    }

    @Override
    public Lease acquire(String key, String token, long ttlMillis) {
        long now = now();
        String current = leases.get(key);
        if (current == null) {
            Lease taken = new Lease(key, memberName, token, 1, now + ttlMillis, now);
            return leases.putIfAbsent(key, taken.encode()) == null ? taken : null;
        }
        Lease held = Lease.decode(key, current);
        if (!held.expired(now)) {
            return null;
        }
        Lease taken = new Lease(key, memberName, token, held.epoch() + 1, now + ttlMillis, now);
        return leases.replace(key, current, taken.encode()) ? taken : null;
    }

    @Override
    public Lease renew(Lease held, long ttlMillis) {
        long now = now();
        if (held.expired(now)) {
            return null; // expired under its holder: another may have taken it, or may at any moment
        }
        Lease renewed = held.renewed(now + ttlMillis);
        return leases.replace(held.key(), held.encode(), renewed.encode()) ? renewed : null;
    }

    @Override
    public void release(Lease held) {
        leases.replace(held.key(), held.encode(), Lease.free(held.key(), held.epoch(), now()).encode());
    }

    @Override
    public Lease holder(String key) {
        String current = leases.get(key);
        if (current == null) {
            return null;
        }
        Lease l = Lease.decode(key, current);
        return l.expired(now()) ? null : l;
    }

    @Override
    public Lease entry(String key) {
        String current = leases.get(key);
        return current == null ? null : Lease.decode(key, current);
    }

    @Override
    public void publish(String topic, String message) {
        hz.<String>getTopic(topic).publish(message);
    }

    @Override
    public Runnable subscribe(String topic, Consumer<String> listener) {
        ITopic<String> t = hz.getTopic(topic);
        java.util.UUID id = t.addMessageListener(m -> {
            if (!m.getPublishingMember().localMember()) {
                listener.accept(m.getMessageObject());
            }
        });
        return () -> t.removeMessageListener(id);
    }
}
