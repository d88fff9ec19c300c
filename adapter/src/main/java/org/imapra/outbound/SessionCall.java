package org.imapra.outbound;

import org.imapra.api.ImapException;
import org.imapra.imap.MailboxSession;

/** One operation on the physical session, run by {@link ImapManagedConnection#call}. */
@FunctionalInterface
interface SessionCall<T> {

    T apply(MailboxSession session) throws ImapException;
}
