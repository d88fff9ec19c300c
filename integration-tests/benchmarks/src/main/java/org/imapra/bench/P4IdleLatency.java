package org.imapra.bench;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.imapra.ImapResourceAdapter;
import org.imapra.api.MailListener;
import org.imapra.inbound.ImapActivationSpec;
import org.imapra.testsupport.ThreadWorkManager;

/**
 * P4: latency from APPEND (by another IMAP client, as a sender's server would) to the start of {@code onMessage},
 * with the activation in IDLE mode, then in POLL mode (1 s interval) for contrast.
 */
final class P4IdleLatency {

    private P4IdleLatency() {
    }

    static void run(Scale scale, Report report, List<BenchServer> servers) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        StringBuilder appendTimes = new StringBuilder();
        for (BenchServer server : servers) {
            server.purge();
            List<Long> appends = new ArrayList<>();
            List<Long> idle = measure(server, "IDLE", scale.p4Idle, 20, 60, appends);
            server.purge();
            List<Long> poll = measure(server, "POLL", scale.p4Poll, 0, 1_000, new ArrayList<>());
            server.purge();
            Stats a = new Stats(appends);
            Stats i = new Stats(idle);
            Stats p = new Stats(poll);
            appendTimes.append(appendTimes.length() == 0 ? "" : "; ").append(server.title()).append(" p50 ")
                    .append(Report.ms(a.percentile(50))).append(", p99 ").append(Report.ms(a.percentile(99)));
            rows.add(List.of(server.title(), "IDLE", Integer.toString(i.n()), "**" + Report.ms(i.percentile(50)) + "**",
                    "**" + Report.ms(i.percentile(99)) + "**", Report.ms(i.max()), Report.ms(i.mean())));
            rows.add(List.of(server.title(), "POLL (1 s)", Integer.toString(p.n()), Report.ms(p.percentile(50)),
                    Report.ms(p.percentile(99)), Report.ms(p.max()), Report.ms(p.mean())));
            report.row("P4 APPEND → onMessage, " + server.title(), "p50 / p99, IDLE (" + i.n() + " msgs)",
                    Report.ms(i.percentile(50)) + " / " + Report.ms(i.percentile(99)),
                    "POLL 1 s: " + Report.ms(p.percentile(50)) + " / " + Report.ms(p.percentile(99)),
                    Report.x(p.percentile(50) / i.percentile(50)) + " (p50, POLL / IDLE)");
        }
        report.section("## P4 IDLE latency\n\n"
                + "A second IMAP client APPENDs a small message to INBOX; the latency runs from just before the "
                + "APPEND until `onMessage` is called. One message at a time (the next after delivery and a random "
                + "pause). IDLE mode: the activation's connection waits in IDLE; POLL mode: `pollIntervalSeconds=1`, "
                + "the pause is random in 0–1 s so that arrivals fall anywhere in the interval. The appending client "
                + "uses TCP_NODELAY (Angus writes an APPEND's literal separately; with Nagle's algorithm it would wait "
                + "~40 ms for a delayed ACK); its APPEND round trip alone (included in the latency): "
                + appendTimes + ".\n\n"
                + Report.table(List.of("server", "mode", "messages", "p50", "p99", "max", "mean"), rows)
                + "\nDovecot tells an IDLE session of new mail about half a second after the change (its mailbox "
                + "notification waits 500 ms for more changes: `NOTIFY_DELAY_MSECS` in Dovecot 2.3, not a setting), so "
                + "its IDLE latency is that delay plus the delivery; GreenMail answers at once. POLL finds a message "
                + "at the next search: on average half the interval after its arrival.");
    }

    /** Latencies in nanoseconds; the APPEND round trips are added to {@code appends}. */
    private static List<Long> measure(BenchServer m365, String mode, int count, int minPauseMillis,
                                      int maxPauseMillis, List<Long> appends) throws Exception {
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        Object signal = new Object();
        MailListener listener = m -> {
            long now = System.nanoTime();
            try {
                arrived.put(m.getSubject(), now);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
            synchronized (signal) {
                signal.notifyAll();
            }
        };
        Path store = Bench.tempDir("imapra-bench-store");
        ThreadWorkManager ctx = new ThreadWorkManager("bench-work");
        ImapResourceAdapter ra = new ImapResourceAdapter();
        ra.setStoreDirectory(store.toString());
        ra.start(ctx);
        ListenerEndpoints endpoints = new ListenerEndpoints(listener);
        ImapActivationSpec spec = Bench.spec(m365.authorityHost(), m365.imapHost(), m365.imapsPort());
        spec.setMode(mode);
        spec.setPollIntervalSeconds(1);
        spec.setResourceAdapter(ra);
        IMAPStore appender = HandWritten.connectNoDelay(m365.imapHost(), m365.imapsPort(),
                HandWritten.msal(m365.authorityHost()).token());
        List<Long> latencies = new ArrayList<>();
        try {
            Folder inbox = appender.getFolder("INBOX");
            ra.endpointActivation(endpoints, spec);
            m365.awaitSessions(2);
            Thread.sleep(500); // SELECT, first search, into IDLE (or the first poll's wait)
            Bench.progress("P4 " + m365.title() + ": " + count + " messages, " + mode);
            for (int k = 1; k <= count; k++) {
                String subject = "P4 " + mode + " " + k;
                Message m = Mails.small(subject);
                long t0 = System.nanoTime();
                inbox.appendMessages(new Message[] {m});
                appends.add(System.nanoTime() - t0);
                long limit = t0 + 10_000_000_000L;
                synchronized (signal) {
                    while (!arrived.containsKey(subject) && System.nanoTime() < limit) {
                        signal.wait(50);
                    }
                }
                Long t1 = arrived.get(subject);
                if (t1 == null) {
                    throw new IllegalStateException(subject + " was not delivered within 10 s");
                }
                latencies.add(t1 - t0);
                int pause = minPauseMillis + ThreadLocalRandom.current().nextInt(maxPauseMillis - minPauseMillis + 1);
                Thread.sleep(pause);
            }
        } finally {
            HandWritten.closeQuietly(appender);
            try {
                ra.endpointDeactivation(endpoints, spec);
            } finally {
                ra.stop();
                ctx.close();
                Bench.deleteTree(store);
            }
        }
        return latencies;
    }
}
