package org.imapra.ping;

import org.imapra.config.MailboxDefinition;

/**
 * What the resource adapter decides around a ping's IMAP connection: whether it may connect now (not while Exchange
 * asked not to be contacted, and within the mailbox's connection budget), and what it learns from the server's
 * refusal (a throttled reply is honoured by every connection factory and activation too).
 */
public interface ImapGate {

    /** No throttling, no budget: a ping without a resource adapter. */
    ImapGate OPEN = new ImapGate() {
        @Override
        public Slot enter(MailboxDefinition d) {
            return () -> { };
        }

        @Override
        public void refused(MailboxDefinition d, String serverWords) {
        }
    };

    /** The permission to hold one connection; closed when the ping's connection is. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Before the ping connects.
     *
     * @throws Exception why it must not (shown at the TLS connection stage): throttled, or the budget is used up
     */
    Slot enter(MailboxDefinition d) throws Exception;

    /** The server refused an IMAP stage of the ping with {@code serverWords}. */
    void refused(MailboxDefinition d, String serverWords);
}
