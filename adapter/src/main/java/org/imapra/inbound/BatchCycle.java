package org.imapra.inbound;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.imapra.imap.BatchFetch;
import org.imapra.imap.Released;

/**
 * One search (or none) and at most one batch of a watcher: pick what may be delivered, set aside what broke the
 * connection too often, fetch the batch, deliver it in parts (each part's small messages fetched whole first, and
 * released once settled) and acknowledge it. Within one drain of a backlog (batches one after another on one
 * connection) the next batch is the next batch's worth of what the last open-ended search found after the last UID
 * delivered, with no search of its own: the batch's UID FETCH tells which of them are gone or, under an UNSEEN filter,
 * \Seen meanwhile (those are left out; a From or Subject never changes). Once those are done, a search from the
 * last UID on ({@code UID n:*}) finds what arrived meanwhile; a drain ends with a search of the whole folder. So
 * neither the server nor the adapter goes through all that is left for every batch: draining is linear, and a batch
 * costs no search. Used by the watcher thread only.
 */
final class BatchCycle {

    /** A connection out of step with the server is reopened at most this often. */
    private static final long REOPEN_SPACING_MILLIS = 60_000;

    private final InboundSettings settings;
    private final DeliveryLedger ledger;
    private final PendingAcks acks;
    private final BatchDispatcher dispatcher;
    private final DeliveryClaims claims;
    private final DeliverySettler settler;
    private final Runnable searched;
    private InboundConnection connection;
    private long searchFrom = 1;
    /** What the last open-ended search found, ascending: the next batches search their range of it. */
    private long[] ahead = new long[0];
    private long lastReopen;

    /** @param searched called after each successful search */
    BatchCycle(InboundSettings settings, DeliveryLedger ledger, PendingAcks acks, BatchDispatcher dispatcher,
               DeliveryClaims claims, DeliverySettler settler, Runnable searched) {
        this.settings = settings;
        this.ledger = ledger;
        this.acks = acks;
        this.dispatcher = dispatcher;
        this.claims = claims;
        this.settler = settler;
        this.searched = searched;
    }

    /** One search and at most one batch; true when the folder should be searched again at once. */
    boolean run(InboundConnection c, long reconnectAt) throws MessagingException {
        if (c != connection) {
            connection = c;
            searchFrom = 1;
        }
        long now = System.currentTimeMillis();
        if (now < settler.pausedUntil()) {
            searchFrom = 1;
            return false;
        }
        boolean whole = searchFrom <= 1;
        long to = whole ? 0 : windowEnd(searchFrom);
        long[] found;
        if (to > 0) {
            found = window(searchFrom, to); // checked by the batch's UID FETCH: no command here
        } else {
            found = c.search(searchFrom);
            ahead = found;
            searched.run();
        }
        if (whole) {
            ledger.retain(c.uidValidity(), found);
        }
        long[] uids = ledger.pick(found, c.uidValidity(), now, settings.maxMessagesPerBatch(), acks::contains);
        uids = setAsidePoisoned(c, uids);
        if (uids.length > 0) {
            uids = claims.claim(c, uids);
        }
        searchFrom = 1;
        if (uids.length == 0) {
            return !whole; // the end of a drain: once more over the whole folder
        }
        BatchFetch.Fetched fetched = c.fetch(uids);
        if (fetched.unmapped() > 0 && now - lastReopen >= REOPEN_SPACING_MILLIS) {
            lastReopen = now; // at most once a minute: a server that keeps doing this is not reconnected in a loop
            throw new InboundConnection.OutOfStepException("UID FETCH in " + settings.describe() + " reported "
                    + fetched.unmapped() + " message(s) the folder's message list on this connection does not hold; "
                    + "reopening the connection to bring it in step with the server");
        }
        List<Message> messages = fetched.messages();
        if (messages.isEmpty()) {
            return to > 0; // a window that no longer matches: search the whole folder at once (no loop: that searched)
        }
        if (deliver(c, fetched, reconnectAt)) {
            searchFrom = uids[uids.length - 1] + 1;
        }
        acks.flush(c);
        return true;
    }

    /**
     * The last UID of the next batch's worth of what the last open-ended search found from {@code fromUid} on; 0
     * when it found nothing there (then the search is open-ended: {@code UID n:*}).
     */
    private long windowEnd(long fromUid) {
        int i = Arrays.binarySearch(ahead, fromUid);
        if (i < 0) {
            i = -i - 1;
        }
        if (i >= ahead.length) {
            return 0;
        }
        return ahead[Math.min(ahead.length - 1, i + Math.max(1, settings.maxMessagesPerBatch()) - 1)];
    }

    /** What the last open-ended search found from {@code fromUid} to {@code toUid}. */
    private long[] window(long fromUid, long toUid) {
        int from = Arrays.binarySearch(ahead, fromUid);
        from = from < 0 ? -from - 1 : from;
        int to = Arrays.binarySearch(ahead, toUid);
        to = to < 0 ? -to - 1 : to + 1;
        return Arrays.copyOfRange(ahead, from, Math.max(from, to));
    }

    /** @return true when every part of the batch was delivered */
    private boolean deliver(InboundConnection c, BatchFetch.Fetched fetched, long reconnectAt)
            throws MessagingException {
        List<Message> messages = fetched.messages();
        Map<Message, MessageKey> keys = new IdentityHashMap<>(messages.size() * 2);
        for (Message m : messages) {
            keys.put(m, new MessageKey(c.uidValidity(), c.uid(m)));
        }
        boolean complete = true;
        settler.startBatch(c, reconnectAt);
        List<List<Message>> parts = BatchFetch.parts(messages, fetched::wholeSize, m -> ledger.suspected(keys.get(m)));
        for (List<Message> part : parts) {
            boolean goOn;
            try {
                fetchWhole(c, part, fetched, keys);
                List<Delivery> deliveries = new ArrayList<>(part.size());
                for (Message m : part) {
                    deliveries.add(Delivery.of(m, keys.get(m)));
                }
                goOn = dispatcher.deliver(deliveries, settler::settle);
            } finally {
                Released.release(part); // what was delivered (or not) holds no content any more
            }
            if (!goOn) {
                complete = false;
                break;
            }
        }
        settler.endBatch();
        return complete;
    }

    /**
     * Fetches the part's small messages whole. When that breaks the connection (Angus' fetch may return normally
     * then, with the folder closed), the loss is counted against the message if it was alone; else each of them is
     * fetched alone from now on, to find the one that breaks it. None of the part is delivered then.
     */
    private void fetchWhole(InboundConnection c, List<Message> part, BatchFetch.Fetched fetched,
                            Map<Message, MessageKey> keys) throws MessagingException {
        try {
            c.fetchWhole(part, fetched::wholeSize);
        } catch (MessagingException | RuntimeException e) {
            if (!c.isOpen()) {
                blame(part, keys);
            }
            throw e;
        }
        if (!c.isOpen()) {
            blame(part, keys);
            throw new MessagingException("the connection was lost while " + part.size() + " message(s) of "
                    + settings.describe() + " were fetched (" + keys.get(part.get(0)) + " first); they are "
                    + "fetched again after the reconnect");
        }
    }

    private void blame(List<Message> part, Map<Message, MessageKey> keys) {
        if (part.size() == 1) {
            ledger.lost(keys.get(part.get(0)));
        } else {
            part.forEach(m -> ledger.suspect(keys.get(m)));
        }
    }

    /** Sets aside (error folder, or given up) the messages that broke the connection too often; returns the rest. */
    private long[] setAsidePoisoned(InboundConnection c, long[] uids) throws MessagingException {
        long[] rest = new long[uids.length];
        int n = 0;
        for (long uid : uids) {
            MessageKey k = new MessageKey(c.uidValidity(), uid);
            if (ledger.poisoned(k)) {
                settler.poison(c, k);
            } else {
                rest[n++] = uid;
            }
        }
        return Arrays.copyOf(rest, n);
    }
}
