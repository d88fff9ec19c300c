package org.imapra.inbound;

import org.imapra.auth.AccessToken;
import org.imapra.auth.TokenCache;
import org.imapra.auth.TokenException;
import org.imapra.auth.TokenRequest;
import org.imapra.config.DefinitionTokens;
import org.imapra.config.DefinitionStore;
import org.imapra.config.MailboxDefinition;

/**
 * Tokens for one activation's mailbox from the adapter's shared {@link TokenCache}.
 */
final class InboundTokens {

    private final TokenCache cache;
    private final TokenRequest request;

    /** With the store of the adapter (sign-ins of DELEGATED definitions), or null. */
    InboundTokens(TokenCache cache, MailboxDefinition d, DefinitionStore store) {
        this.cache = cache;
        this.request = DefinitionTokens.of(d, store);
    }

    /** A token usable for a new connection (outside its retire margin). */
    AccessToken get() throws TokenException {
        return cache.get(request);
    }
}
