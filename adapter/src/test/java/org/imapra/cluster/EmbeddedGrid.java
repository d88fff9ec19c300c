package org.imapra.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Hazelcast members in this JVM forming one cluster on loopback: tcp-ip join (no multicast, no auto-detection), a
 * cluster name of their own (no member of another build joins), ports from a free one up.
 */
public final class EmbeddedGrid implements AutoCloseable {

    private static final int PORTS = 8;
    private final String clusterName = "imapra-test-" + UUID.randomUUID();
    private final int basePort = freePort();
    private final List<HazelcastInstance> members = new ArrayList<>();

    /** Starts one more member and waits until it has joined the others. */
    public HazelcastInstance startMember(String name) {
        Config c = new Config();
        c.setClusterName(clusterName);
        c.setInstanceName(clusterName + "-" + name);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false"); // as the README advises for servers
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
        c.getJetConfig().setEnabled(false);
        c.getMemberAttributeConfig().setAttribute("GLASSFISH-INSTANCE", name);
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(basePort).setPortAutoIncrement(true).setPortCount(PORTS);
        n.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig j = n.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        j.getTcpIpConfig().setEnabled(true);
        for (int p = basePort; p < basePort + PORTS; p++) {
            j.getTcpIpConfig().addMember("127.0.0.1:" + p);
        }
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(c);
        members.add(hz);
        return hz;
    }

    @Override
    public void close() {
        for (HazelcastInstance hz : members) {
            if (hz.getLifecycleService().isRunning()) {
                hz.getLifecycleService().terminate();
            }
        }
    }

    /** A port with {@link #PORTS} free ones above it now (checked by binding them). */
    private static int freePort() {
        for (int attempt = 0; attempt < 20; attempt++) {
            int base;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                base = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (base + PORTS < 65_000 && allFree(base)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + PORTS + " free consecutive ports on loopback");
    }

    private static boolean allFree(int base) {
        for (int p = base; p < base + PORTS; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
