package org.imapra.imap;

import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.iap.ResponseHandler;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

/**
 * Watches the selected folder's untagged EXISTS / EXPUNGE responses for the connection's lifetime and notes when a
 * message arrived after the last UID SEARCH began, whichever command's response reported it (FETCH, STORE, the
 * IDLE command itself): such a message is then searched for before idling again, so none waits for the next renew.
 */
public final class ArrivalTracker implements ResponseHandler {

    private long exists;
    private boolean arrived;

    public ArrivalTracker(long exists) {
        this.exists = exists;
    }

    @Override
    public synchronized void handleResponse(Response r) {
        if (r instanceof IMAPResponse ir) {
            if (ir.keyEquals("EXISTS")) {
                long n = ir.getNumber();
                if (n > exists) {
                    arrived = true;
                }
                exists = n;
            } else if (ir.keyEquals("EXPUNGE") && exists > 0) {
                exists--;
            }
        }
    }

    /** Called as a UID SEARCH is sent: what arrived before is in its result. */
    public synchronized void searchStarting() {
        arrived = false;
    }

    /** True when a message arrived since the last search began. */
    public synchronized boolean arrived() {
        return arrived;
    }
}
