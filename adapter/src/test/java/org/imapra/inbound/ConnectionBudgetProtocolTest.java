package org.imapra.inbound;

import static org.imapra.inbound.InboundStandIn.MAILBOX;
import static org.imapra.inbound.InboundStandIn.deliver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.outbound.ImapManagedConnectionFactory;
import org.imapra.outbound.NonManagedConnectionManager;
import org.imapra.outbound.StandIn;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection budget of a mailbox, shared by every connection factory and activation of the resource adapter:
 * the server never sees more authenticated sessions for it than the budget, and a caller beyond it gets a connection
 * once one is free or, after its connect timeout, the error naming the budget, never Exchange's refusal.
 */
@Timeout(90)
class ConnectionBudgetProtocolTest extends InboundProtocolBase {

    static final int BUDGET = 8;
    static final int CALLERS = 40;

    final List<NonManagedConnectionManager> pools = new ArrayList<>();

    @Override
    void resetStandIn() throws Exception {
        m365.mailServer().grantMailbox(LocalM365.DEFAULT_CLIENT_ID, MAILBOX);
        InboundStandIn.reset(m365);
        m365.mailServer().maxConnections(MAILBOX, 0);
        m365.mailServer().resetCommandCounts();
        logs.clear();
    }

    @AfterEach
    void closePools() {
        pools.forEach(NonManagedConnectionManager::close);
        m365.mailServer().maxConnections(MAILBOX, 0);
    }

    /** A factory of the test's resource adapter with a pool larger than the budget. */
    ImapConnectionFactory factory() throws Exception {
        ImapManagedConnectionFactory mcf = StandIn.factory(m365);
        mcf.setConnectTimeoutMillis(3_000); // also the longest wait for a slot of the budget
        mcf.setResourceAdapter(ra);
        NonManagedConnectionManager pool = new NonManagedConnectionManager(CALLERS, 30_000);
        pools.add(pool);
        return (ImapConnectionFactory) mcf.createConnectionFactory(pool);
    }

    @Test
    void twoFactoriesAndAnActivationNeverHaveMoreThanTheBudgetOpenAtTheServer() throws Exception {
        ra.setMaxConnectionsPerMailbox(BUDGET);
        // Exchange's own limit, right at the budget: a login beyond it would be refused
        m365.mailServer().maxConnections(MAILBOX, BUDGET);
        ImapConnectionFactory a = factory();
        ImapConnectionFactory b = factory();
        deliver(m365, "first");
        activate();
        awaitReceived(1);

        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(CALLERS);
        CountDownLatch settled = new CountDownLatch(CALLERS); // each caller holds a connection or has failed
        AtomicInteger served = new AtomicInteger();
        List<String> budgetErrors = new CopyOnWriteArrayList<>();
        List<String> otherErrors = new CopyOnWriteArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            ImapConnectionFactory cf = i % 2 == 0 ? a : b;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    try (ImapConnection c = cf.getConnection()) {
                        c.status("INBOX");
                        served.incrementAndGet();
                        settled.countDown();
                        settled.await(30, TimeUnit.SECONDS); // hold it until no caller waits any more
                        c.listFolders();
                    }
                } catch (Exception e) {
                    settled.countDown();
                    (String.valueOf(e.getMessage()).contains("maxConnectionsPerMailbox") ? budgetErrors : otherErrors)
                            .add(String.valueOf(e.getMessage()));
                } finally {
                    done.countDown();
                }
            }, "caller-" + i);
            t.setDaemon(true);
            t.start();
        }
        start.countDown();
        assertTrue(done.await(60, TimeUnit.SECONDS), "callers still waiting: " + done.getCount());

        assertEquals(List.of(), otherErrors, "every caller gets a connection or the budget error");
        assertEquals(CALLERS, served.get() + budgetErrors.size());
        assertEquals(BUDGET - 1, served.get(), "callers served at once: the budget less the activation's connection");
        assertEquals(0, m365.mailServer().refusedLoginCount(MAILBOX), "logins Exchange refused");
        int peak = m365.mailServer().peakAuthenticatedSessionCount(MAILBOX);
        assertTrue(peak <= BUDGET, "peak " + peak + " authenticated sessions at the server, budget " + BUDGET);
        assertTrue(peak >= 2, "the factories did connect: peak " + peak);

        deliver(m365, "second");
        awaitReceived(2); // the activation kept its connection through it all
    }
}
