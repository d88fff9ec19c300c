package org.imapra.outbound;

import org.imapra.standin.LocalM365;

/** {@link OutboundScenarios} against the stand-in's GreenMail. */
class GreenMailOutboundProtocolTest extends OutboundScenarios {
    @Override
    ImapBackend startBackend(LocalM365 m365) {
        return ImapBackend.greenMail(m365);
    }
}
