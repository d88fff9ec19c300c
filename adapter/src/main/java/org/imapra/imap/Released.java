package org.imapra.imap;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.lang.reflect.Field;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.angus.mail.imap.IMAPMessage;

/** What a delivered part of a batch lets go of ({@link BatchFetch}): a backlog is drained in bounded memory. */
public final class Released {

    private static final Logger LOG = Logger.getLogger(Released.class.getName());
    private static final Field CACHED_CONTENT = field("cachedContent");
    private static final Field DATA_HANDLER = field("dh");

    private Released() {
    }

    /**
     * Lets the settled messages drop their content, the parsed content a listener read (a multipart's parts hold
     * the whole message's bytes: {@code MimeMessage.cachedContent}, which {@code invalidateHeaders} keeps) and their
     * cached metadata. They stay valid (read again on demand), and in the folder's message cache for as long as the
     * connection lives, now small.
     */
    public static void release(List<Message> part) {
        for (Message m : part) {
            if (m instanceof IMAPMessage im) {
                synchronized (im) {
                    im.invalidateHeaders();
                    clear(CACHED_CONTENT, im);
                    clear(DATA_HANDLER, im);
                }
            }
        }
    }

    private static void clear(Field f, IMAPMessage m) {
        if (f != null) {
            try {
                f.set(m, null);
            } catch (IllegalAccessException | RuntimeException e) {
                LOG.log(Level.FINE, "Cannot clear MimeMessage." + f.getName() + ": " + e.getMessage(), e);
            }
        }
    }

    /** A protected field of MimeMessage, made accessible; null (logged once) where the runtime refuses it. */
    private static Field field(String name) {
        try {
            Field f = MimeMessage.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot clear MimeMessage." + name + " of delivered messages (" + e + "): a "
                    + "message's parsed content stays in memory for as long as its connection lives", e);
            return null;
        }
    }
}
