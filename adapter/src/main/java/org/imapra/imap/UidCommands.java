package org.imapra.imap;

import jakarta.mail.MessagingException;
import jakarta.mail.search.SearchException;
import jakarta.mail.search.SearchTerm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.SearchSequence;

/**
 * UID based commands on the selected folder, each one round trip: UID SEARCH, UID STORE, UID MOVE (or COPY + STORE
 * + EXPUNGE), UID EXPUNGE. Angus sees every untagged response, so its message cache stays right. Outbound
 * ({@link MailboxSession}) and inbound use these; Angus' own folder methods serve the rest (FETCH, APPEND, STATUS).
 */
public final class UidCommands {

    private UidCommands() {
    }

    /**
     * UIDs from {@code fromUid} on matching {@code term} (all when null), ascending: {@code UID SEARCH UID n:* ...}
     * when {@code fromUid} is over 1, so that a drain of a backlog does not search the whole folder after each batch.
     */
    public static long[] search(IMAPFolder folder, SearchTerm term, long fromUid, ArrivalTracker arrivals)
            throws MessagingException {
        long[] found = (long[]) folder.doCommand(p -> {
            boolean ascii = term == null || p.supportsUtf8() || SearchSequence.isAscii(term);
            Argument args = new Argument();
            try {
                if (fromUid > 1) {
                    args.writeAtom("UID").writeAtom(fromUid + ":*");
                }
                if (term != null) {
                    args.append(new SearchSequence(p).generateSequence(term, ascii ? null : "UTF-8"));
                } else if (fromUid <= 1) {
                    args.writeAtom("ALL");
                }
            } catch (IOException | SearchException e) {
                throw new ProtocolException("cannot encode the search filter: " + e.getMessage(), e);
            }
            arrivals.searchStarting();
            Response[] r = p.command(ascii ? "UID SEARCH" : "UID SEARCH CHARSET UTF-8", args);
            Response last = r[r.length - 1];
            long[] uids = new long[16];
            int n = 0;
            if (last.isOK()) {
                for (int i = 0; i < r.length; i++) {
                    if (r[i] instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
                        for (long uid = ir.readLong(); uid != -1; uid = ir.readLong()) {
                            if (n == uids.length) {
                                uids = Arrays.copyOf(uids, n * 2);
                            }
                            uids[n++] = uid;
                        }
                        r[i] = null;
                    }
                }
            }
            p.notifyResponseHandlers(r);
            p.handleResult(last);
            long[] sorted = Arrays.copyOf(uids, n);
            Arrays.sort(sorted);
            return sorted;
        });
        if (fromUid > 1 && found.length > 0 && found[0] < fromUid) {
            // n:* also matches the highest UID when it is below n (RFC 3501: * is the largest UID in use)
            int i = 0;
            while (i < found.length && found[i] < fromUid) {
                i++;
            }
            found = Arrays.copyOfRange(found, i, found.length);
        }
        return found;
    }

    /** Adds {@code flags} (e.g. {@code \Seen}) to the messages. */
    public static void addFlags(IMAPFolder folder, String uidSet, String flags) throws MessagingException {
        folder.doCommand(p -> {
            p.simpleCommand("UID STORE " + uidSet + " +FLAGS.SILENT (" + flags + ")", null);
            return null;
        });
    }

    /** Moves the messages: UID MOVE where the server has MOVE, else UID COPY, \Deleted and expunge. */
    public static void move(IMAPFolder folder, String uidSet, String target) throws MessagingException {
        folder.doCommand(p -> {
            if (p.hasCapability("MOVE")) {
                p.simpleCommand("UID MOVE " + uidSet, mailbox(p, target));
            } else {
                p.simpleCommand("UID COPY " + uidSet, mailbox(p, target));
                p.simpleCommand("UID STORE " + uidSet + " +FLAGS.SILENT (\\Deleted)", null);
                expunge(p, uidSet);
            }
            return null;
        });
    }

    /** Sets \Deleted and expunges exactly these messages (UID EXPUNGE where the server has UIDPLUS). */
    public static void delete(IMAPFolder folder, String uidSet) throws MessagingException {
        folder.doCommand(p -> {
            p.simpleCommand("UID STORE " + uidSet + " +FLAGS.SILENT (\\Deleted)", null);
            expunge(p, uidSet);
            return null;
        });
    }

    private static void expunge(IMAPProtocol p, String uidSet) throws ProtocolException {
        if (p.hasCapability("UIDPLUS")) {
            p.simpleCommand("UID EXPUNGE " + uidSet, null);
        } else {
            p.simpleCommand("EXPUNGE", null); // RFC 3501: also removes other messages already marked \Deleted
        }
    }

    private static Argument mailbox(IMAPProtocol p, String name) {
        Argument a = new Argument();
        if (p.supportsUtf8()) {
            a.writeString(name, StandardCharsets.UTF_8);
        } else {
            a.writeString(BASE64MailboxEncoder.encode(name));
        }
        return a;
    }
}
