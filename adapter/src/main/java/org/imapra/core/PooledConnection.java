package org.imapra.core;

import org.imapra.config.MailboxDefinition;

/** A live pooled IMAP connection as the {@link ConnectionCensus} sees it. */
public interface PooledConnection {

    /** The definition it was made with. */
    MailboxDefinition definition();

    /** Application handles on it right now (0: idle in a pool). */
    int handleCount();

    /** No longer matched or handed out: the pool replaces it. */
    void retire();
}
