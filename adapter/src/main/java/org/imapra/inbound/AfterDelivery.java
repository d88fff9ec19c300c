package org.imapra.inbound;

/** What happens to a message on the server once {@code onMessage} returned normally. */
public enum AfterDelivery {
    /** Set \Seen (the default; the search filter then skips it). */
    MARK_SEEN,
    /** Move it to {@code moveTo} (UID MOVE, or COPY + \Deleted + EXPUNGE where the server lacks MOVE). */
    MOVE,
    /** Set \Deleted and expunge it. */
    DELETE,
    /** Leave it as it is; this activation remembers in memory what it delivered. */
    NONE
}
