package org.imapra.imap;

import jakarta.mail.FetchProfile;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import java.io.IOException;
import jakarta.mail.UIDFolder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.lang.reflect.Field;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;

/**
 * Fetching a batch in a constant number of commands: the UIDs' sequence numbers (UID FETCH), then flags, size, UID
 * and internal date of every message (one FETCH: what a server keeps in its index, no message is parsed for it); the
 * batch is then delivered in parts holding at most {@value #PART_MAX_BYTES} bytes of small messages, and each part's
 * small messages are fetched whole first (one FETCH of BODY.PEEK[]: Angus parses them locally, envelope and structure
 * included), so a listener reading them sends no further command. A message over {@value #WHOLE_MESSAGE_MAX_BYTES}
 * bytes stays on the server until it is read: its envelope and structure come with its part (one FETCH for the
 * part's large messages), its content is streamed in partial FETCHes when read. Once a part is settled, its messages
 * drop what they hold ({@link #release}): the folder's message cache keeps the message objects for as long as the
 * connection lives. So a backlog is drained in bounded memory: a part's bytes and count are bounded, and what was
 * delivered is released. Angus parses what is fetched under {@link ParsingLoader}, the structure of small multipart
 * messages included: no class-path scan per message or part.
 */
public final class BatchFetch {

    /** Messages up to this size (RFC822.SIZE) are fetched whole before their delivery. */
    public static final int WHOLE_MESSAGE_MAX_BYTES = 256 * 1024;
    /** Bytes of whole messages held at a time (one part), at most; less in a small heap ({@link #partMaxBytes}). */
    public static final long PART_MAX_BYTES = 8L * 1024 * 1024;
    /** Messages in one part, at most. */
    public static final int PART_MAX_MESSAGES = 100;
    private static final Logger LOG = Logger.getLogger(BatchFetch.class.getName());
    private static final Field CACHED_CONTENT = field("cachedContent");
    private static final Field DATA_HANDLER = field("dh");

    private BatchFetch() {
    }

    /**
     * What {@link #fetch} found.
     *
     * @param messages the messages, ascending, with their metadata
     * @param unmapped how many of the UIDs Angus could not map to a message of the folder: removed meanwhile, or the
     *                 folder's message numbers are out of step with the server's
     */
    public record Fetched(List<Message> messages, int unmapped) {
    }

    /** The messages with these UIDs (missing and expunged ones left out), with their metadata. */
    public static Fetched fetch(IMAPFolder folder, long[] uids) throws MessagingException {
        return ParsingLoader.run(() -> fetchMetadata(folder, uids));
    }

    private static Fetched fetchMetadata(IMAPFolder folder, long[] uids) throws MessagingException {
        List<Message> present = new ArrayList<>(uids.length);
        int unmapped = 0;
        for (Message m : folder.getMessagesByUID(uids)) {
            if (m == null) {
                unmapped++;
            } else if (!m.isExpunged()) {
                present.add(m);
            }
        }
        folder.fetch(present.toArray(new Message[0]), SIZES);
        return new Fetched(present, unmapped);
    }

    /**
     * What the batch's FETCH asks of each message: flags, size, UID, internal date. Envelope and structure are not
     * asked for the whole batch: a server parses every message for them (Dovecot: about half the time of fetching
     * it whole), and a message fetched whole has them anyway.
     */
    private static final FetchProfile SIZES = sizes();

    private static FetchProfile sizes() {
        FetchProfile fp = new FetchProfile();
        fp.add(FetchProfile.Item.FLAGS);
        fp.add(FetchProfile.Item.SIZE);
        fp.add(UIDFolder.FetchProfileItem.UID);
        fp.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
        return fp;
    }

    /** Bytes of whole messages in one part: {@link #PART_MAX_BYTES}, or a 32nd of the heap when that is less. */
    public static long partMaxBytes() {
        return Math.max(WHOLE_MESSAGE_MAX_BYTES, Math.min(PART_MAX_BYTES, Runtime.getRuntime().maxMemory() / 32));
    }

    /** {@link #parts(List, Predicate)} with no message alone. */
    public static List<List<Message>> parts(List<Message> messages) throws MessagingException {
        return parts(messages, m -> false);
    }

    /**
     * Consecutive parts of {@code messages} of at most {@link #PART_MAX_MESSAGES} messages whose small messages add
     * up to at most {@link #partMaxBytes()}; a message that {@code alone} accepts gets a part of its own.
     */
    public static List<List<Message>> parts(List<Message> messages, Predicate<Message> alone)
            throws MessagingException {
        long max = partMaxBytes();
        List<List<Message>> parts = new ArrayList<>();
        List<Message> part = new ArrayList<>();
        long bytes = 0;
        for (Message m : messages) {
            long size = wholeSize(m);
            boolean single = alone.test(m);
            if ((bytes + size > max || part.size() >= PART_MAX_MESSAGES || single) && !part.isEmpty()) {
                parts.add(part);
                part = new ArrayList<>();
                bytes = 0;
            }
            part.add(m);
            bytes += size;
            if (single) {
                parts.add(part);
                part = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }

    /**
     * Fetches the small messages of {@code part} whole, in one FETCH (BODY.PEEK[]: never sets \Seen), and the
     * envelope and structure of its large ones, in one more.
     */
    public static void fetchWhole(IMAPFolder folder, List<Message> part) throws MessagingException {
        ParsingLoader.run(() -> {
            fetchParsed(folder, part);
            return null;
        });
    }

    private static void fetchParsed(IMAPFolder folder, List<Message> part) throws MessagingException {
        List<Message> small = new ArrayList<>(part.size());
        List<Message> large = new ArrayList<>();
        for (Message m : part) {
            (wholeSize(m) > 0 ? small : large).add(m);
        }
        if (!small.isEmpty()) {
            FetchProfile whole = new FetchProfile();
            whole.add(IMAPFolder.FetchProfileItem.MESSAGE);
            whole.add(IMAPFolder.FetchProfileItem.INTERNALDATE); // the arrival, for the delivery latency metric
            folder.fetch(small.toArray(new Message[0]), whole);
            small.forEach(ParsedContent::prepare);
        }
        if (!large.isEmpty()) {
            folder.fetch(large.toArray(new Message[0]), ImapSessions.metadata());
        }
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

    /** The size a message occupies when fetched whole, or 0 when it is read on demand instead. */
    private static long wholeSize(Message m) throws MessagingException {
        int size = m.getSize();
        return size >= 0 && size <= WHOLE_MESSAGE_MAX_BYTES ? Math.max(1, size) : 0;
    }
}
