package org.imapra.admin;

import jakarta.mail.MessagingException;
import org.imapra.api.ImapException;
import org.imapra.api.ImapThrottledException;
import org.imapra.config.MailboxDefinition;
import org.imapra.core.AdapterContext;
import org.imapra.imap.ImapErrors;
import org.imapra.ping.ImapGate;

/**
 * A ping obeys the same limits as the adapter's connections: it does not contact a mailbox Exchange asked to wait
 * for, it holds a slot of the mailbox's connection budget while connected, and a throttled or "unavailable" reply it
 * receives makes every connection factory and activation of the adapter wait too.
 */
final class PingGate implements ImapGate {

    private final AdapterContext context;

    PingGate(AdapterContext context) {
        this.context = context;
    }

    @Override
    public Slot enter(MailboxDefinition d) throws Exception {
        context.throttles().check(d, "connect (ping)");
        return context.budgets().take(d, d.connectTimeoutMillis())::close;
    }

    /** The server's words read as the adapter's connections read them ({@link ImapErrors#translate}). */
    @Override
    public void refused(MailboxDefinition d, String serverWords) {
        ImapException e = ImapErrors.translate(d.userName(), d.imapHost() + ":" + d.imapPort(), "ping",
                new MessagingException(serverWords));
        if (e instanceof ImapThrottledException throttled) {
            context.throttles().record(d, throttled);
        }
    }
}
