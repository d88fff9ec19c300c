package org.imapra.standin;

import com.icegreen.greenmail.imap.ImapSession;
import com.icegreen.greenmail.imap.ImapSessionFolder;
import com.icegreen.greenmail.store.StoredMessage;
import jakarta.mail.MessagingException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * A fault for tests: while a subject is set, a {@code FETCH} that asks for the content (not only the metadata) of a
 * message with that subject closes the connection without a word, before any response: "this message's body fetch
 * always breaks the session".
 */
final class FetchBreaker {

    /** BODY[...] / BODY.PEEK[...] other than headers, RFC822 and RFC822.TEXT. */
    private static final Pattern CONTENT = Pattern.compile(
            "(?i)BODY(\\.PEEK)?\\[(?!HEADER)|RFC822(?![.](SIZE|HEADER))");

    private final AtomicReference<String> subject = new AtomicReference<>();
    private final AtomicInteger breaks = new AtomicInteger();

    void subject(String s) {
        subject.set(s);
        breaks.set(0);
    }

    int breaks() {
        return breaks.get();
    }

    /** True (and counted) when the connection is to break instead of serving {@code line}, a FETCH command. */
    boolean breaks(ImapSession session, String sequenceSet, String line) {
        String s = subject.get();
        if (s == null || !CONTENT.matcher(line).find()) {
            return false;
        }
        ImapSessionFolder folder = session.getSelected();
        if (folder == null) {
            return false;
        }
        List<StoredMessage> messages = folder.getMessages();
        for (String range : sequenceSet.split(",")) {
            String[] ends = range.split(":");
            long a = number(ends[0], messages.size());
            long b = ends.length > 1 ? number(ends[1], messages.size()) : a;
            for (long msn = Math.min(a, b); msn <= Math.min(Math.max(a, b), messages.size()); msn++) {
                if (msn >= 1 && s.equals(subject(messages.get((int) msn - 1)))) {
                    breaks.incrementAndGet();
                    return true;
                }
            }
        }
        return false;
    }

    private static long number(String s, int max) {
        try {
            return s.equals("*") ? max : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String subject(StoredMessage m) {
        try {
            return m.getMimeMessage().getSubject();
        } catch (MessagingException e) {
            return null;
        }
    }
}
