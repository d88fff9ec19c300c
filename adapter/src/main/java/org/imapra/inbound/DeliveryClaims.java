package org.imapra.inbound;

/**
 * Which of the messages found this server instance delivers. Today: all of them ({@link #SINGLE_INSTANCE}): across
 * the instances of a cluster, the folder's lease ({@link ActivationLease}) lets one consumer at a time deliver. A seam
 * for consumers sharing one folder at the same time: an implementation would claim messages on the server before
 * delivery, e.g. by UID MOVE into a per-instance processing folder, and return only the claimed ones.
 */
interface DeliveryClaims {

    DeliveryClaims SINGLE_INSTANCE = (c, uids) -> uids;

    /**
     * @param uids ascending UIDs of a batch, all eligible for delivery
     * @return the UIDs this instance may deliver now
     */
    long[] claim(InboundConnection connection, long[] uids) throws jakarta.mail.MessagingException;
}
