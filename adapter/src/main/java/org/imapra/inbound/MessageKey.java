package org.imapra.inbound;

/** One message of the watched folder, for as long as the folder's UIDVALIDITY stays the same. */
record MessageKey(long uidValidity, long uid) {

    @Override
    public String toString() {
        return "UID " + uid + " (UIDVALIDITY " + uidValidity + ")";
    }
}
