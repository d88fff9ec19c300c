package org.imapra.imap;

import jakarta.activation.DataHandler;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Readies a small message fetched whole for its listener, under the {@link ParsingLoader}: the structure of a
 * multipart message is parsed now ({@code MimeMessage} and {@code MimeBodyPart} keep a parsed multipart), and the
 * message and each of its parts get a data handler over a {@link ParsingDataSource}, so that their content is decoded
 * under the adapter's loader too. The listener's {@code getContent()} and {@code getInputStream()} then make nothing
 * under its application's class loader: before, a Jakarta Mail StreamProvider lookup (a scan of the class path, about
 * 0.1 ms in Payara) for the multipart, each part and each decoder. Where the runtime refuses the fields, or a message
 * does not parse, the message is left as it is: the listener reads it as Jakarta Mail gives it (and meets the same
 * error).
 */
final class ParsedContent {

    private static final Logger LOG = Logger.getLogger(ParsedContent.class.getName());
    private static final int MAX_DEPTH = 8;
    private static final Field MESSAGE_HANDLER = field(MimeMessage.class);
    private static final Field PART_HANDLER = field(MimeBodyPart.class);

    private ParsedContent() {
    }

    /** Runs under the {@link ParsingLoader}, right after the message was fetched whole. */
    static void prepare(Message m) {
        try {
            if (m instanceof MimeMessage mm) {
                handle(MESSAGE_HANDLER, mm);
            }
            if (m.isMimeType("multipart/*") && m.getContent() instanceof Multipart mp) {
                parts(mp, 1);
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            LOG.log(Level.FINE, "A fetched message does not parse; its listener will see why: " + e, e);
        }
    }

    private static void parts(Multipart mp, int depth) throws MessagingException, IOException {
        for (int i = 0; i < mp.getCount(); i++) {
            BodyPart p = mp.getBodyPart(i);
            if (p instanceof MimeBodyPart mbp) {
                handle(PART_HANDLER, mbp);
            }
            if (depth < MAX_DEPTH && p.isMimeType("multipart/*") && p.getContent() instanceof Multipart inner) {
                parts(inner, depth + 1);
            }
        }
    }

    /** The part's content from now on through a {@link ParsingDataSource}, if the part has not made a handler yet. */
    private static void handle(Field f, MimePart part) {
        if (f == null) {
            return;
        }
        try {
            if (f.get(part) == null) {
                f.set(part, new DataHandler(new ParsingDataSource(part)));
            }
        } catch (IllegalAccessException | RuntimeException e) {
            LOG.log(Level.FINE, "Cannot give " + f.getDeclaringClass().getSimpleName() + " a data handler: " + e, e);
        }
    }

    /** The protected {@code dh} of {@code type}, made accessible; null (logged once) where the runtime refuses it. */
    private static Field field(Class<?> type) {
        try {
            Field f = type.getDeclaredField("dh");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            LOG.log(Level.INFO, "Cannot reach " + type.getSimpleName() + ".dh (" + e + "): a listener's reading "
                    + "of fetched messages makes Jakarta Mail's decoders under its own class loader", e);
            return null;
        }
    }
}
