package org.imapra.inbound;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.auth.SignInRequiredException;
import org.imapra.auth.TokenException;
import org.imapra.config.MailboxDefinition;
import org.imapra.imap.ImapErrors;

/** How a failed (re)connect of an activation is reported: the activity record, and one log line that says why. */
final class ConnectFailures {

    private static final Logger LOG = Logger.getLogger(ConnectFailures.class.getName());

    private ConnectFailures() {
    }

    static void report(InboundSettings settings, ActivityRecord activity, Exception e) {
        activity.failed(ImapErrors.serverWords(e));
        MailboxDefinition d = settings.definition();
        if (e instanceof SignInRequiredException s) {
            LOG.warning("Inbound delivery from " + settings.describe() + " waits: " + s.getMessage()
                    + " (checked again with the longest back-off)");
        } else if (e instanceof TokenException) {
            LOG.log(Level.WARNING, "No token for " + settings.describe() + ": " + e.getMessage()
                    + "; retrying with back-off", e);
        } else if (e instanceof InboundConnection.MissingFolderException) {
            LOG.log(Level.SEVERE, "Inbound delivery from " + settings.describe() + " cannot start: "
                    + e.getMessage() + "; checking again with back-off", e);
        } else {
            LOG.log(Level.WARNING, ImapErrors.translate(d.userName(), d.imapHost() + ":" + d.imapPort(),
                    "connect and SELECT " + settings.folder(), e).getMessage() + "; retrying with back-off", e);
        }
    }
}
