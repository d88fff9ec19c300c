package org.imapra.bench;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.search.FlagTerm;
import java.util.Arrays;
import org.eclipse.angus.mail.imap.IMAPFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.imapra.ImapResourceAdapter;
import org.imapra.api.MailListener;
import org.imapra.inbound.ImapActivationSpec;
import org.imapra.testsupport.ThreadWorkManager;

/**
 * The three ways of consuming a mailbox that P3 compares, each run until {@code n} messages are consumed and marked
 * \Seen on the server (or the time limit): imapra's inbound delivery to a {@link MailListener}, a naive Angus loop
 * and a Spring-Integration-style batched loop.
 */
final class InboundLoops {

    /**
     * What one run did: {@code untilFirstNanos} from its start to the first message's delivery (0: none);
     * {@code cpuNanos} the CPU time this JVM used meanwhile (the client's work, its GC and JIT; not the server's when
     * the server runs in its own processes), {@code cpuUntilFirstNanos} the part of it until the first delivery.
     */
    record Result(String loop, int messages, long nanos, long bytes, int failures, boolean timedOut,
                  long untilFirstNanos, long cpuNanos, long cpuUntilFirstNanos) {
        double perSecond() {
            return messages / (nanos / 1e9);
        }

        /** µs per message from the first delivery on: the drain proper, without connecting and the first search. */
        double steadyMicrosPerMessage() {
            return (nanos - untilFirstNanos) / 1e3 / Math.max(1, messages - 1);
        }

        /** This JVM's CPU µs per message from the first delivery on (connecting and the first search excluded). */
        double steadyCpuMicrosPerMessage() {
            return (cpuNanos - cpuUntilFirstNanos) / 1e3 / Math.max(1, messages - 1);
        }
    }

    /** CPU time of this JVM so far, all its threads. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private InboundLoops() {
    }

    /**
     * imapra: a started {@link ImapResourceAdapter} (test-style BootstrapContext, WorkManager on the benchmark's
     * threads), {@code endpointActivation} with the defaults (IDLE, UNSEEN, MARK_SEEN, 100 per batch, 1 at a time);
     * the endpoint's onMessage reads the message. Timed from endpointActivation until all are delivered and seen.
     */
    static Result imapra(BenchServer server, int n, long limitMillis) throws Exception {
        Activation a = Activation.start(server);
        try {
            return a.drain(server, n, limitMillis);
        } finally {
            a.stop();
        }
    }

    /**
     * A started resource adapter with one activation on the default mailbox whose listener reads each message;
     * {@link #drain} waits until {@code n} are delivered and none is unseen.
     */
    static final class Activation {
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        private final AtomicLong firstDelivery = new AtomicLong();
        private final AtomicLong firstDeliveryCpu = new AtomicLong();
        private final Path store;
        private final ThreadWorkManager ctx;
        private final ImapResourceAdapter ra;
        private final ListenerEndpoints endpoints;
        private final ImapActivationSpec spec;
        private final long t0;
        private final long cpu0;

        private Activation(BenchServer server) throws Exception {
            MailListener listener = m -> {
                try {
                    if (firstDelivery.compareAndSet(0, System.nanoTime())) {
                        firstDeliveryCpu.set(processCpuNanos());
                    }
                    bytes.addAndGet(Mails.consume(m, null));
                    delivered.incrementAndGet();
                } catch (MessagingException | IOException e) {
                    failures.incrementAndGet();
                    throw new IllegalStateException("could not read the message: " + e, e);
                }
            };
            store = Bench.tempDir("imapra-bench-store");
            ctx = new ThreadWorkManager("bench-work");
            ra = new ImapResourceAdapter();
            ra.setStoreDirectory(store.toString());
            ra.start(ctx);
            endpoints = new ListenerEndpoints(listener);
            spec = Bench.spec(server.authorityHost(), server.imapHost(), server.imapsPort());
            spec.setResourceAdapter(ra);
            cpu0 = processCpuNanos();
            t0 = System.nanoTime();
            ra.endpointActivation(endpoints, spec);
        }

        /** Time from the activation to the first delivery's start (connect, token, SELECT, first search); 0: none. */
        long untilFirstDeliveryNanos() {
            long first = firstDelivery.get();
            return first == 0 ? 0 : first - t0;
        }

        /** Activates now: the clock of {@link #drain} starts. */
        static Activation start(BenchServer server) throws Exception {
            return new Activation(server);
        }

        /** Waits until {@code n} messages were delivered and none is unseen; timed from the activation. */
        Result drain(BenchServer server, int n, long limitMillis) throws Exception {
            long deadline = t0 + limitMillis * 1_000_000L;
            boolean timedOut = false;
            while (delivered.get() < n || server.unseen(Bench.MAILBOX) > 0) {
                if (System.nanoTime() > deadline) {
                    timedOut = true;
                    break;
                }
                Thread.sleep(delivered.get() < n ? 5 : 2);
            }
            long nanos = System.nanoTime() - t0;
            long cpu = processCpuNanos() - cpu0;
            long firstCpu = firstDeliveryCpu.get();
            return new Result("imapra", delivered.get(), nanos, bytes.get(), failures.get(), timedOut,
                    untilFirstDeliveryNanos(), cpu, firstCpu == 0 ? cpu : firstCpu - cpu0);
        }

        void stop() throws Exception {
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
    static Result naive(BenchServer m365, int n, long limitMillis) throws Exception {
        return handWritten("naive Angus loop", m365, n, limitMillis, Style.NAIVE);
    }

    /** Messages per FETCH and STORE of the whole-message batch loop. */
    static final int BATCH = 100;

    /**
     * The whole-message batch loop, the fastest a hand-written consumer gets: one connection, INBOX read-write,
     * SEARCH UNSEEN, then per {@value #BATCH} messages one FETCH of the whole messages ({@code BODY.PEEK[]}), each
     * read (parsed locally), and one STORE +FLAGS \Seen for the batch.
     */
    static Result wholeBatch(BenchServer m365, int n, long limitMillis) throws Exception {
        return handWritten("whole-message batch loop", m365, n, limitMillis, Style.WHOLE_BATCH);
    }

    /**
     * The batched loop as Spring Integration's ImapMailReceiver does it: open INBOX read-write, SEARCH UNSEEN,
     * {@code folder.fetch(messages, ENVELOPE + FLAGS + CONTENT_INFO)} once, then for each message read its content
     * and set \Seen.
     */
    static Result batched(BenchServer m365, int n, long limitMillis) throws Exception {
        return handWritten("batched fetch (Spring style)", m365, n, limitMillis, Style.SPRING);
    }

    private enum Style { NAIVE, SPRING, WHOLE_BATCH }

    private static Result handWritten(String name, BenchServer m365, int n, long limitMillis, Style style)
            throws Exception {
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        long first = 0;
        long firstCpu = 0;
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
                FetchProfile fp = new FetchProfile();
                if (style == Style.SPRING) {
                    fp.add(FetchProfile.Item.ENVELOPE);
                    fp.add(FetchProfile.Item.FLAGS);
                    fp.add(FetchProfile.Item.CONTENT_INFO);
                    inbox.fetch(messages, fp);
                } else if (style == Style.WHOLE_BATCH) {
                    fp.add(IMAPFolder.FetchProfileItem.MESSAGE);
                }
                int step = style == Style.WHOLE_BATCH ? BATCH : 1;
                for (int from = 0; from < messages.length; from += step) {
                    if (System.nanoTime() > deadline) {
                        timedOut = true;
                        break;
                    }
                    Message[] batch = Arrays.copyOfRange(messages, from, Math.min(messages.length, from + step));
                    if (style == Style.WHOLE_BATCH) {
                        inbox.fetch(batch, fp);
                    }
                    for (Message m : batch) {
                        if (done == 0) {
                            first = System.nanoTime() - t0; // as imapra's: when the first one is handed over
                            firstCpu = processCpuNanos() - cpu0;
                        }
                        bytes += Mails.consume(m, (MessageDigest) null);
                        done++;
                    }
                    inbox.setFlags(batch, new Flags(Flags.Flag.SEEN), true); // one STORE for the batch
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
        long nanos = System.nanoTime() - t0;
        return new Result(name, done, nanos, bytes, 0, timedOut, first, processCpuNanos() - cpu0, firstCpu);
    }
}
