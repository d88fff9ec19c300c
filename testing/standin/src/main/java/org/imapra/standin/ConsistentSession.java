package org.imapra.standin;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.imap.ImapResponse;
import com.icegreen.greenmail.imap.ImapSession;
import com.icegreen.greenmail.imap.ImapSessionFolder;
import com.icegreen.greenmail.imap.ImapSessionImpl;
import com.icegreen.greenmail.imap.ImapSessionState;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserManager;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * GreenMail's IMAP session, with the untagged updates reported the way a client can follow them. GreenMail sends
 * {@code * n EXISTS} with the folder's current count and then the pending {@code EXPUNGE}s, so a client that applies
 * them in order ends up with fewer messages than the folder holds: after a MOVE of two messages while two new ones
 * arrived, a client saw 1 message where there were 3, and Angus ignored the new ones. Here the EXISTS count still
 * includes the messages whose EXPUNGE follows (or is held back: FETCH, STORE and SEARCH must not report expunges).
 * Everything else is GreenMail's own session.
 */
final class ConsistentSession implements ImapSession {

    private final ImapSessionImpl session;
    private final BooleanSupplier greenMailOrder;

    /** @param greenMailOrder while true, GreenMail's own order is kept (a server quirk for tests) */
    ConsistentSession(ImapSessionImpl session, BooleanSupplier greenMailOrder) {
        this.session = session;
        this.greenMailOrder = greenMailOrder;
    }

    @Override
    public void unsolicitedResponses(ImapResponse response) throws FolderException {
        unsolicitedResponses(response, false);
    }

    /**
     * GreenMail's own report, written to a buffer (it is single-line untagged responses only: EXISTS, RECENT,
     * FETCH FLAGS, EXPUNGE), then passed on with the EXISTS count raised by the number of EXPUNGEs. When the command
     * may not report expunges, they are recorded as pending again and left out.
     */
    @Override
    public void unsolicitedResponses(ImapResponse response, boolean omitExpunged) throws FolderException {
        ImapSessionFolder selected = session.getSelected();
        if (selected == null || greenMailOrder.getAsBoolean()) {
            session.unsolicitedResponses(response, omitExpunged);
            return;
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        session.unsolicitedResponses(new ImapResponse(buffer), false);
        List<String> lines = buffer.toString(StandardCharsets.US_ASCII).lines().filter(l -> !l.isEmpty()).toList();
        int expunges = (int) lines.stream().filter(l -> l.endsWith(" EXPUNGE")).count();
        for (String line : lines) {
            String[] f = line.split(" ", 3); // "*", number, rest
            if (f.length == 3 && f[2].equals("EXISTS")) {
                response.existsResponse(Integer.parseInt(f[1]) + expunges);
            } else if (f.length == 3 && f[2].equals("EXPUNGE")) {
                if (omitExpunged) {
                    selected.expunged(Integer.parseInt(f[1])); // still to be reported, by a command that may
                } else {
                    response.expungeResponse(Integer.parseInt(f[1]));
                }
            } else {
                response.untaggedResponse(line.substring(2)); // RECENT, FETCH (FLAGS ...)
            }
        }
    }

    @Override
    public void closeConnection() {
        session.closeConnection();
    }

    @Override
    public void closeConnection(String byeMessage) {
        session.closeConnection(byeMessage);
    }

    @Override
    public ImapHostManager getHost() {
        return session.getHost();
    }

    @Override
    public UserManager getUserManager() {
        return session.getUserManager();
    }

    @Override
    public String getClientIP() {
        return session.getClientIP();
    }

    @Override
    public ImapSessionState getState() {
        return session.getState();
    }

    @Override
    public void setAuthenticated(GreenMailUser user) {
        session.setAuthenticated(user);
    }

    @Override
    public GreenMailUser getUser() {
        return session.getUser();
    }

    @Override
    public void setSelected(MailFolder folder, boolean readOnly) {
        session.setSelected(folder, readOnly);
    }

    @Override
    public void deselect() {
        session.deselect();
    }

    @Override
    public ImapSessionFolder getSelected() {
        return session.getSelected();
    }
}
