package org.imapra.inbound;

/**
 * Which of the messages found this server instance delivers. Today: all of them ({@link #SINGLE_INSTANCE}; one
 * activation per mailbox folder in the cluster). The seam for sharing one mailbox between instances: an
 * implementation claims messages on the server before delivery, e.g. by UID MOVE into a per-instance processing
 * folder (atomic on the server: only one instance's MOVE takes a given message, and a crashed instance's folder can
 * be taken over), and returns only the claimed ones.
 */
interface DeliveryClaims {

    DeliveryClaims SINGLE_INSTANCE = (c, uids) -> uids;

    /**
     * @param uids ascending UIDs of a batch, all eligible for delivery
     * @return the UIDs this instance may deliver now
     */
    long[] claim(InboundConnection connection, long[] uids) throws jakarta.mail.MessagingException;
}
