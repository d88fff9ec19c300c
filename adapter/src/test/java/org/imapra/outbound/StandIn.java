package org.imapra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.imapra.standin.LocalM365;

/** Builds managed connection factories pointed at a local Microsoft 365 stand-in. */
public final class StandIn {

    private StandIn() {
    }

    /** A connection factory for the stand-in's default mailbox, app and endpoints (5 s connect, 10 s read). */
    public static ImapManagedConnectionFactory factory(LocalM365 m365) {
        ImapManagedConnectionFactory mcf = new ImapManagedConnectionFactory();
        mcf.setUserName(LocalM365.DEFAULT_MAILBOX);
        mcf.setTenantId(LocalM365.DEFAULT_TENANT_ID);
        mcf.setClientId(LocalM365.DEFAULT_CLIENT_ID);
        mcf.setClientSecret(LocalM365.DEFAULT_CLIENT_SECRET);
        mcf.setAuthorityHost(m365.authorityHost());
        mcf.setImapHost(m365.imapHost());
        mcf.setImapPort(m365.imapsPort());
        mcf.setConnectTimeoutMillis(5_000);
        mcf.setReadTimeoutMillis(10_000);
        return mcf;
    }

    /** Closes the pool and checks that no handle is still out and no IMAP session is left open at the server. */
    static void closeAndAssertNothingLeft(NonManagedConnectionManager pool, LocalM365 m365)
            throws InterruptedException {
        pool.close();
        assertEquals(0, pool.inUse(), "a connection handle leaked");
        assertTrue(m365.mailServer().awaitOpenSessionCount(0, Duration.ofSeconds(5)),
                "IMAP sessions left open: " + m365.mailServer().openSessionCount());
    }
}
