package org.imapra.inbound;

import com.hazelcast.core.HazelcastInstance;
import jakarta.mail.Message;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.imapra.ImapResourceAdapter;
import org.imapra.api.DeliveredMessage;
import org.imapra.cluster.CuttableGrid;
import org.imapra.cluster.HazelcastLeaseGrid;
import org.imapra.cluster.Lease;
import org.imapra.core.AdapterContext;
import org.imapra.standin.LocalM365;
import org.imapra.testsupport.RecordingEndpointFactory;
import org.imapra.testsupport.ThreadWorkManager;

/**
 * One "server instance" of a cluster test: a Hazelcast member, a started resource adapter using it (lease TTL
 * {@link #TTL_SECONDS} s), its WorkManager, and one recording endpoint per mailbox it activates.
 */
final class ClusterNode {

    static final int TTL_SECONDS = 3;
    static final int BATCH = 5;

    final String name;
    final HazelcastInstance member;
    final CuttableGrid grid;
    final ThreadWorkManager work;
    final ImapResourceAdapter ra;
    final Map<String, RecordingEndpoints> endpoints = new LinkedHashMap<>();
    final Map<String, ImapActivationSpec> specs = new LinkedHashMap<>();

    ClusterNode(String name, HazelcastInstance member, Path dir) {
        this(name, member, dir, null, null);
    }

    /**
     * With {@code leases} (and {@code masterKey}) the definitions, and therefore the leases (leaseStore auto), live in
     * that database; the grid then only counts the members.
     */
    ClusterNode(String name, HazelcastInstance member, Path dir, DataSource leases, String masterKey) {
        this.name = name;
        this.member = member;
        this.grid = new CuttableGrid(new HazelcastLeaseGrid(member));
        this.work = new ThreadWorkManager(name + "-work");
        this.ra = new ImapResourceAdapter();
        ra.setStoreDirectory(dir.resolve(name).toString());
        ra.setLeaseTtlSeconds(TTL_SECONDS);
        AdapterContext.of(ra).useGrid(grid);
        if (leases != null) {
            AdapterContext.of(ra).useDefinitionsDataSource(leases, masterKey, 60_000);
        }
        ra.start(work);
    }

    /** Activates a recording endpoint on {@code mailbox}'s INBOX (batches of {@link #BATCH}, one at a time). */
    RecordingEndpoints activate(LocalM365 m365, String mailbox) throws Exception {
        ImapActivationSpec spec = InboundStandIn.spec(m365);
        spec.setUserName(mailbox);
        spec.setMaxMessagesPerBatch(BATCH);
        spec.setResourceAdapter(ra);
        RecordingEndpoints e = new RecordingEndpoints();
        ra.endpointActivation(e, spec);
        endpoints.put(mailbox, e);
        specs.put(mailbox, spec);
        return e;
    }

    void deactivate(String mailbox) {
        ImapActivationSpec spec = specs.remove(mailbox);
        if (spec != null) {
            ra.endpointDeactivation(endpoints.get(mailbox), spec);
        }
    }

    void stop() {
        for (String m : new ArrayList<>(specs.keySet())) {
            deactivate(m);
        }
        ra.stop();
    }

    /** Whether this node holds the lease of {@code mailbox}'s INBOX now (as the lease store says). */
    boolean holds(LocalM365 m365, String mailbox) {
        Lease h = holder(m365, mailbox);
        return h != null && h.member().equals(grid.memberName());
    }

    Lease holder(LocalM365 m365, String mailbox) {
        try {
            return AdapterContext.of(ra).leases().grid().holder(key(m365, mailbox));
        } catch (RuntimeException e) {
            return null; // this member is down
        }
    }

    static String key(LocalM365 m365, String mailbox) {
        return m365.imapHost() + ":" + m365.imapsPort() + "/" + mailbox + "/INBOX";
    }

    List<String> received(String mailbox) {
        RecordingEndpointFactory<DeliveredMessage> e = endpoints.get(mailbox);
        return e == null ? List.of() : e.subjects();
    }

    /** The MDB body of {@code mailbox}'s endpoint. */
    void bean(String mailbox, RecordingEndpointFactory.Bean<DeliveredMessage> bean) {
        endpoints.get(mailbox).bean(bean);
    }

    @Override
    public String toString() {
        return name;
    }

    static String subjectOf(Message m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
