package org.imapra.outbound;

import org.imapra.standin.LocalM365;

/** {@link OutboundScenarios} against a private Dovecot 2.3 validating the stand-in's tokens (dovecot-imapd). */
class DovecotOutboundProtocolTest extends OutboundScenarios {
    @Override
    ImapBackend startBackend(LocalM365 m365) {
        return ImapBackend.dovecot(m365);
    }
}
