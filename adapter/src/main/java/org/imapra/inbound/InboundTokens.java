package org.imapra.inbound;

import org.imapra.auth.AccessToken;
import org.imapra.auth.RotatingTokens;
import org.imapra.auth.TokenCache;
import org.imapra.auth.TokenException;
import org.imapra.auth.TokenRequest;
import org.imapra.config.DefinitionTokens;
import org.imapra.config.DefinitionStore;
import org.imapra.config.MailboxDefinition;

/**
 * Tokens for one activation's mailbox from the adapter's shared {@link TokenCache}, switching to the definition's
 * next credential when the current one is refused ({@link RotatingTokens}).
 */
final class InboundTokens {

    private final RotatingTokens cache;
    private final TokenRequest request;
    private final org.imapra.core.MailboxCounters counters;

    /** With the store of the adapter (sign-ins of DELEGATED definitions), or null. */
    InboundTokens(RotatingTokens cache, MailboxDefinition d, DefinitionStore store) {
        this(cache, d, store, new org.imapra.core.Telemetry().mailbox(d.name()));
    }

    /** Counting the requests and their outcome in {@code counters}. */
    InboundTokens(RotatingTokens cache, MailboxDefinition d, DefinitionStore store,
                  org.imapra.core.MailboxCounters counters) {
        this.cache = cache;
        this.request = DefinitionTokens.of(d, store);
        this.counters = counters;
    }

    /** A token usable for a new connection (outside its retire margin). */
    AccessToken get() throws TokenException {
        try {
            AccessToken t = cache.get(request);
            counters.tokenObtained(t);
            return t;
        } catch (TokenException e) {
            counters.tokenFailed(e);
            throw e;
        }
    }

    /** The counters of the activation's definition. */
    org.imapra.core.MailboxCounters counters() {
        return counters;
    }
}
