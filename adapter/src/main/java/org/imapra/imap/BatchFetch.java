package org.imapra.imap;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.eclipse.angus.mail.iap.Response;

/**
 * Fetching a batch in a constant number of commands: flags, size and sequence number of every message, by UID (one
 * UID FETCH: what a server keeps in its index; no message is parsed or opened for it); the batch is then delivered in
 * parts holding at most {@value #PART_MAX_BYTES} bytes of small messages, and each part's small messages are fetched
 * whole first (one FETCH of BODY.PEEK[]: Angus parses them locally, envelope and structure included), so a listener
 * reading them sends no further command. A message over {@value #WHOLE_MESSAGE_MAX_BYTES} bytes stays on the server
 * until it is read: its envelope and structure come with its part (one FETCH for the part's large messages), its
 * content is streamed in partial FETCHes when read. Once a part is settled, its messages drop what they hold
 * ({@link Released#release}): the folder's message cache keeps the message objects for as long as the connection lives. So a
 * backlog is drained in bounded memory: a part's bytes and count are bounded, and what was delivered is released.
 * Angus parses what is fetched under {@link ParsingLoader}, and {@link ParsedContent} readies small messages so that
 * their structure and the listener's decoding of their content are made under it too: no class-path scan per
 * message or part.
 */
public final class BatchFetch {

    /** Messages up to this size (RFC822.SIZE) are fetched whole before their delivery. */
    public static final int WHOLE_MESSAGE_MAX_BYTES = 256 * 1024;
    /** Bytes of whole messages held at a time (one part), at most; less in a small heap ({@link #partMaxBytes}). */
    public static final long PART_MAX_BYTES = 8L * 1024 * 1024;
    /** Messages in one part, at most. */
    public static final int PART_MAX_MESSAGES = 100;

    private BatchFetch() {
    }

    /**
     * What {@link #fetch} found.
     *
     * @param messages the messages, ascending, with their flags and UIDs
     * @param sizes    each message's RFC822.SIZE (Angus' own {@code getSize()} would fetch it again for a message
     *                 not yet fetched whole)
     * @param unmapped how many of the messages the server reported Angus could not map to a message of the folder:
     *                 the folder's message numbers are out of step with the server's
     */
    public record Fetched(List<Message> messages, Map<Message, Long> sizes, int unmapped) {

        /** The size a message occupies when fetched whole, or 0 when it is read on demand instead. */
        public long wholeSize(Message m) {
            Long size = sizes.get(m);
            return size == null ? 0 : BatchFetch.wholeSize(size.longValue());
        }
    }

    /**
     * The messages with these UIDs (missing and expunged ones left out, and with {@code unseenOnly} those the server
     * reports \Seen), with flags and sizes, in one command: {@code UID FETCH <set> (UID FLAGS RFC822.SIZE)}. Its
     * answers carry each message's sequence number, so Angus' folder maps the UIDs to its messages (and takes their
     * flags) as it does for its own UID FETCH of sequence numbers; no second command asks for the metadata. What the
     * server keeps in its index: no message is parsed or opened for it (INTERNALDATE comes with the whole messages,
     * or with the envelope of large ones).
     */
    public static Fetched fetch(IMAPFolder folder, long[] uids, boolean unseenOnly) throws MessagingException {
        Map<Long, Long> reported = new HashMap<>(uids.length * 2); // UID -> RFC822.SIZE (-1: none given)
        folder.doCommand(p -> {
            Response[] r = p.command("UID FETCH " + UidSet.of(uids) + " (UID FLAGS RFC822.SIZE)", null);
            for (Response response : r) {
                if (response instanceof FetchResponse f && f.getItem(UID.class) != null) {
                    FLAGS flags = f.getItem(FLAGS.class);
                    RFC822SIZE size = f.getItem(RFC822SIZE.class);
                    if (!(unseenOnly && flags != null && flags.contains(Flags.Flag.SEEN))) {
                        reported.put(f.getItem(UID.class).uid, size == null ? -1 : size.size);
                    }
                }
            }
            p.notifyResponseHandlers(r); // the folder: UID and FLAGS of each message, EXISTS, EXPUNGE
            p.handleResult(r[r.length - 1]);
            return null;
        });
        long[] known = Arrays.stream(uids).filter(reported::containsKey).sorted().toArray(); // none unasked for
        List<Message> present = new ArrayList<>(known.length);
        Map<Message, Long> sizes = new IdentityHashMap<>(known.length * 2);
        int unmapped = 0;
        // in the folder's UID table now, no command (a reported one that is not there: out of step)
        Message[] messages = known.length == 0 ? new Message[0] : folder.getMessagesByUID(known);
        for (int i = 0; i < messages.length; i++) {
            Message m = messages[i];
            if (m == null) {
                unmapped++;
            } else if (!m.isExpunged()) {
                present.add(m);
                sizes.put(m, reported.get(known[i]));
            }
        }
        return new Fetched(present, sizes, unmapped);
    }

    /** Bytes of whole messages in one part: {@link #PART_MAX_BYTES}, or a 32nd of the heap when that is less. */
    public static long partMaxBytes() {
        return Math.max(WHOLE_MESSAGE_MAX_BYTES, Math.min(PART_MAX_BYTES, Runtime.getRuntime().maxMemory() / 32));
    }

    /** {@link #parts(List, ToLongFunction, Predicate)} of messages that know their size, none alone. */
    public static List<List<Message>> parts(List<Message> messages) {
        return parts(messages, BatchFetch::wholeSize, m -> false);
    }

    /**
     * Consecutive parts of {@code messages} of at most {@link #PART_MAX_MESSAGES} messages whose small messages add
     * up to at most {@link #partMaxBytes()} ({@code wholeSize}: see {@link Fetched#wholeSize}); a message that
     * {@code alone} accepts gets a part of its own.
     */
    public static List<List<Message>> parts(List<Message> messages, ToLongFunction<Message> wholeSize,
                                            Predicate<Message> alone) {
        long max = partMaxBytes();
        List<List<Message>> parts = new ArrayList<>();
        List<Message> part = new ArrayList<>();
        long bytes = 0;
        for (Message m : messages) {
            long size = wholeSize.applyAsLong(m);
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
     * envelope and structure of its large ones, in one more ({@code wholeSize}: see {@link Fetched#wholeSize}).
     */
    public static void fetchWhole(IMAPFolder folder, List<Message> part, ToLongFunction<Message> wholeSize)
            throws MessagingException {
        ParsingLoader.run(() -> {
            fetchParsed(folder, part, wholeSize);
            return null;
        });
    }

    private static void fetchParsed(IMAPFolder folder, List<Message> part, ToLongFunction<Message> wholeSize)
            throws MessagingException {
        List<Message> small = new ArrayList<>(part.size());
        List<Message> large = new ArrayList<>();
        for (Message m : part) {
            (wholeSize.applyAsLong(m) > 0 ? small : large).add(m);
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

    /** {@link Fetched#wholeSize} from the message's own {@code getSize()}. */
    private static long wholeSize(Message m) {
        try {
            return wholeSize(m.getSize());
        } catch (MessagingException e) {
            return 0;
        }
    }

    /** The size a message of {@code size} bytes occupies when fetched whole, or 0 when it is read on demand. */
    private static long wholeSize(long size) {
        return size >= 0 && size <= WHOLE_MESSAGE_MAX_BYTES ? Math.max(1, size) : 0;
    }
}
