package org.imapra.inbound;

import java.time.Instant;
import java.util.logging.Logger;
import org.imapra.api.ImapException;
import org.imapra.api.ImapThrottledException;
import org.imapra.config.MailboxDefinition;
import org.imapra.core.MailboxThrottles;
import org.imapra.imap.ImapErrors;
import org.imapra.imap.ServerLimit;

/**
 * An activation's side of Exchange's limits: a throttled or unavailable reply is recorded in the adapter's
 * {@link MailboxThrottles} (shared with the connection factories), and no connection is opened for the mailbox
 * before the instant recorded there.
 */
final class ServerBackoff {

    private static final Logger LOG = Logger.getLogger(ServerBackoff.class.getName());

    private final InboundSettings settings;
    private final MailboxThrottles throttles;

    ServerBackoff(InboundSettings settings, MailboxThrottles throttles) {
        this.settings = settings;
        this.throttles = throttles;
    }

    /** The epoch millisecond at which the next connect may start: {@code backoffDeadline} or the throttle's end. */
    long nextAttemptAt(long backoffDeadline) {
        Instant until = throttles.throttledUntil(settings.definition());
        if (until == null || until.toEpochMilli() <= backoffDeadline) {
            return backoffDeadline;
        }
        LOG.info(() -> "Inbound delivery from " + settings.describe() + " waits until " + until
                + ": Exchange Online throttled the mailbox");
        return until.toEpochMilli();
    }

    /** Whether Exchange asked not to be contacted for the mailbox now. */
    boolean throttled() {
        return throttles.throttledUntil(settings.definition()) != null;
    }

    /** The limit {@code e} speaks of, or null; a throttled or unavailable one is recorded. */
    ServerLimit note(Exception e, String command) {
        ServerLimit limit = ServerLimit.of(e);
        if (limit instanceof ServerLimit.Throttled || limit instanceof ServerLimit.Unavailable) {
            MailboxDefinition d = settings.definition();
            ImapException t = ImapErrors.translate(d.userName(), d.imapHost() + ":" + d.imapPort(), command, e);
            if (t instanceof ImapThrottledException throttled) {
                throttles.record(d, throttled);
            }
        }
        return limit;
    }
}
