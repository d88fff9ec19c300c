package org.imapra.outbound;


/** Argument checks shared by the handle's methods. */
final class MailboxSessionOps {

    private MailboxSessionOps() {
    }

    static String folder(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a folder name is required, e.g. INBOX");
        }
        return name;
    }

    static long[] uids(long[] uids) {
        if (uids == null) {
            throw new IllegalArgumentException("uids must not be null");
        }
        for (long uid : uids) {
            if (uid < 1) {
                throw new IllegalArgumentException("UIDs are positive numbers, not " + uid);
            }
        }
        return uids.clone();
    }
}
