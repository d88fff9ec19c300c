package org.imapra.outbound;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionLostException;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.Test;

/** {@link OutboundScenarios} against the stand-in's GreenMail, and what only its stand-in does. */
class GreenMailOutboundProtocolTest extends OutboundScenarios {
    @Override
    ImapBackend startBackend(LocalM365 m365) {
        return ImapBackend.greenMail(m365);
    }

    @Test
    void theServersByeTextReachesTheCaller() throws Exception {
        ImapConnection c = factory.getConnection();
        c.status("INBOX");
        m365.mailServer().invalidateAllSessions();
        ImapConnectionLostException lost = assertThrows(ImapConnectionLostException.class, () -> c.status("INBOX"));
        assertTrue(lost.getMessage().contains("AccessTokenExpired"), lost.getMessage());
        assertTrue(lost.getMessage().contains(MAILBOX), lost.getMessage());
        c.close();
    }
}
