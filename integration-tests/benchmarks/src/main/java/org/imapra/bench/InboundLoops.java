package org.imapra.bench;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.search.FlagTerm;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.imapra.ImapResourceAdapter;
import org.imapra.api.MailListener;
import org.imapra.inbound.ImapActivationSpec;
import org.imapra.standin.LocalM365;
import org.imapra.testsupport.ThreadWorkManager;

/**
 * The three ways of consuming a mailbox that P3 compares, each run until {@code n} messages are consumed and marked
 * \Seen on the server (or the time limit): imapra's inbound delivery to a {@link MailListener}, a naive Angus loop
 * and a Spring-Integration-style batched loop.
 */
final class InboundLoops {

    /** What one run did. */
    record Result(String loop, int messages, long nanos, long bytes, int failures, boolean timedOut) {
        double perSecond() {
            return messages / (nanos / 1e9);
        }
    }

    private InboundLoops() {
    }

    /**
     * imapra: a started {@link ImapResourceAdapter} (test-style BootstrapContext, WorkManager on the benchmark's
     * threads), {@code endpointActivation} with the defaults (IDLE, UNSEEN, MARK_SEEN, 100 per batch, 1 at a time);
     * the endpoint's onMessage reads the message. Timed from endpointActivation until all are delivered and seen.
     */
    static Result imapra(LocalM365 m365, int n, long limitMillis) throws Exception {
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        MailListener listener = m -> {
            try {
                bytes.addAndGet(Mails.consume(m, null));
                delivered.incrementAndGet();
            } catch (MessagingException | IOException e) {
                failures.incrementAndGet();
                throw new IllegalStateException("could not read the message: " + e, e);
            }
        };
        Path store = Bench.tempDir("imapra-bench-store");
        ThreadWorkManager ctx = new ThreadWorkManager("bench-work");
        ImapResourceAdapter ra = new ImapResourceAdapter();
        ra.setStoreDirectory(store.toString());
        ra.start(ctx);
        ListenerEndpoints endpoints = new ListenerEndpoints(listener);
        ImapActivationSpec spec = Bench.spec(m365);
        spec.setResourceAdapter(ra);
        long t0 = System.nanoTime();
        long deadline = t0 + limitMillis * 1_000_000L;
        boolean timedOut = false;
        try {
            ra.endpointActivation(endpoints, spec);
            var inbox = Mails.inbox(m365);
            while (delivered.get() < n || inbox.getUnseenCount() > 0) {
                if (System.nanoTime() > deadline) {
                    timedOut = true;
                    break;
                }
                Thread.sleep(delivered.get() < n ? 5 : 2);
            }
            long nanos = System.nanoTime() - t0;
            return new Result("imapra", delivered.get(), nanos, bytes.get(), failures.get(), timedOut);
        } finally {
            try {
                ra.endpointDeactivation(endpoints, spec);
            } finally {
                ra.stop();
                ctx.close();
                Bench.deleteTree(store);
            }
        }
    }

    /**
     * The naive loop: connect, open INBOX read-write, SEARCH UNSEEN, then for each message separately read envelope
     * and content (Angus fetches what it needs lazily) and set \Seen.
     */
    static Result naive(LocalM365 m365, int n, long limitMillis) throws Exception {
        return handWritten("naive Angus loop", m365, n, limitMillis, false);
    }

    /**
     * The batched loop as Spring Integration's ImapMailReceiver does it: open INBOX read-write, SEARCH UNSEEN,
     * {@code folder.fetch(messages, ENVELOPE + FLAGS + CONTENT_INFO)} once, then for each message read its content
     * and set \Seen.
     */
    static Result batched(LocalM365 m365, int n, long limitMillis) throws Exception {
        return handWritten("batched fetch (Spring style)", m365, n, limitMillis, true);
    }

    private static Result handWritten(String name, LocalM365 m365, int n, long limitMillis, boolean prefetch)
            throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + limitMillis * 1_000_000L;
        HandWritten.Tokens msal = HandWritten.msal(m365.authorityHost());
        IMAPStore store = HandWritten.connect(m365.imapHost(), m365.imapsPort(), msal.token());
        int done = 0;
        long bytes = 0;
        boolean timedOut = false;
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            try {
                Message[] messages = inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
                if (prefetch) {
                    FetchProfile fp = new FetchProfile();
                    fp.add(FetchProfile.Item.ENVELOPE);
                    fp.add(FetchProfile.Item.FLAGS);
                    fp.add(FetchProfile.Item.CONTENT_INFO);
                    inbox.fetch(messages, fp);
                }
                for (Message m : messages) {
                    if (System.nanoTime() > deadline) {
                        timedOut = true;
                        break;
                    }
                    bytes += Mails.consume(m, (MessageDigest) null);
                    m.setFlag(Flags.Flag.SEEN, true);
                    done++;
                }
            } finally {
                inbox.close(false);
            }
        } finally {
            HandWritten.closeQuietly(store);
        }
        if (done < n && !timedOut) {
            throw new IllegalStateException(name + " found " + done + " unseen messages, expected " + n);
        }
        return new Result(name, done, System.nanoTime() - t0, bytes, 0, timedOut);
    }
}
