package org.imapra.admin;

import java.time.Clock;
import org.imapra.api.ImapThrottledException;
import org.imapra.config.MailboxDefinition;
import org.imapra.core.AdapterContext;
import org.imapra.imap.ServerLimit;
import org.imapra.ping.ImapGate;

/**
 * A ping obeys the same limits as the adapter's connections: it does not contact a mailbox Exchange asked to wait
 * for, it holds a slot of the mailbox's connection budget while connected, and a throttled or "unavailable" reply it
 * receives makes every connection factory and activation of the adapter wait too.
 */
final class PingGate implements ImapGate {

    private final AdapterContext context;
    private final Clock clock;

    PingGate(AdapterContext context, Clock clock) {
        this.context = context;
        this.clock = clock;
    }

    @Override
    public Slot enter(MailboxDefinition d) throws Exception {
        context.throttles().check(d, "connect (ping)");
        return context.budgets().take(d, d.connectTimeoutMillis())::close;
    }

    @Override
    public void refused(MailboxDefinition d, String serverWords) {
        ServerLimit limit = ServerLimit.parse(serverWords);
        java.time.Duration wait = limit instanceof ServerLimit.Throttled t ? t.delay()
                : limit instanceof ServerLimit.Unavailable u ? u.delay() : null;
        if (wait != null) {
            context.throttles().record(d, new ImapThrottledException(serverWords, d.userName(), "ping",
                    clock.instant().plus(wait), null));
        }
    }
}
