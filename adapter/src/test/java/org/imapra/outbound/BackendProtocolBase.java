package org.imapra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Properties;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.standin.LocalM365;
import org.imapra.testsupport.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Set-up and tear-down for protocol tests that run against each IMAP backend ({@link ImapBackend}): the Entra
 * stand-in, the backend a subclass starts, and per test a fresh managed connection factory and pool.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BackendProtocolBase {
    static final String MAILBOX = LocalM365.DEFAULT_MAILBOX;

    LogCapture logs;
    LocalM365 m365;
    ImapBackend backend;
    ImapManagedConnectionFactory mcf;
    NonManagedConnectionManager pool;
    ImapConnectionFactory factory;

    /** A failing test prints the server's log (Dovecot's is deleted with its directory after the class). */
    @RegisterExtension
    final TestWatcher printServerLog = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (backend != null) {
                System.err.println("---- after " + context.getDisplayName() + " failed: " + backend.diagnostics());
            }
        }
    };

    /** The server under test, for {@code m365}'s tokens. */
    abstract ImapBackend startBackend(LocalM365 m365);

    @BeforeAll
    void start() {
        logs = LogCapture.install("org.imapra", "com.microsoft.aad", "org.eclipse.angus");
        m365 = LocalM365.startDefault();
        backend = startBackend(m365);
    }

    @AfterAll
    void stop() {
        try {
            backend.close();
        } finally {
            m365.close();
            logs.uninstall();
        }
        logs.assertNoSecrets(LocalM365.DEFAULT_CLIENT_SECRET);
    }

    @BeforeEach
    void newFactory() throws Exception {
        m365.tokens().reset();
        backend.reset();
        mcf = StandIn.factory(m365);
        mcf.setImapHost(backend.host());
        mcf.setImapPort(backend.port());
        pool = new NonManagedConnectionManager(4, 2_000);
        factory = (ImapConnectionFactory) mcf.createConnectionFactory(pool);
    }

    @AfterEach
    void closePool() throws InterruptedException {
        closeAndAssertNothingLeft(pool);
    }

    /** Closes {@code p} and checks that no handle leaked and the backend has no IMAP session left open. */
    void closeAndAssertNothingLeft(NonManagedConnectionManager p) throws InterruptedException {
        p.close();
        assertEquals(0, p.inUse(), "a connection handle leaked");
        assertTrue(backend.awaitOpenSessionCount(0, Duration.ofSeconds(5)),
                "IMAP sessions left open: " + backend.openSessionCount());
    }

    static MimeMessage message(String subject, String body) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress("sender@fabrikam.example"));
        m.setRecipients(MimeMessage.RecipientType.TO, MAILBOX);
        m.setSubject(subject);
        m.setText(body);
        m.saveChanges();
        return m;
    }
}
