package org.imapra.bench;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.outbound.NonManagedConnectionManager;

/**
 * P1's goal measured robustly on a shared machine: the pooled checkout and the STATUS on an open connection
 * alternate call by call (which one goes first alternates too), so both see the same load; the ratio of their means
 * and of their medians. JMH (P1) measures them one after the other, minutes apart.
 */
final class P1Interleaved {

    /** The two figures of one server, in microseconds. */
    record Figures(Stats pooled, Stats open) {
        double meanRatio() {
            return pooled.mean() / open.mean();
        }

        double medianRatio() {
            return pooled.percentile(50) / open.percentile(50);
        }
    }

    private P1Interleaved() {
    }

    static Figures run(String serverName, double warmupSeconds, double seconds) throws Exception {
        try (BenchServer server = BenchServer.start(serverName)) {
            server.fill(Bench.MAILBOX, 1, i -> P1InContainer.message("p1"));
            NonManagedConnectionManager pool = new NonManagedConnectionManager(8, 30_000);
            ImapConnectionFactory imapra = (ImapConnectionFactory) Bench.factory(server.authorityHost(),
                    server.imapHost(), server.imapsPort()).createConnectionFactory(pool);
            HandWritten.Tokens msal = HandWritten.msal(server.authorityHost());
            IMAPStore open = HandWritten.connect(server.imapHost(), server.imapsPort(), msal.token());
            try {
                loop(imapra, open, warmupSeconds, null, null);
                List<Double> pooled = new ArrayList<>();
                List<Double> direct = new ArrayList<>();
                loop(imapra, open, seconds, pooled, direct);
                return new Figures(new Stats(pooled), new Stats(direct));
            } finally {
                HandWritten.closeQuietly(open);
                pool.close();
            }
        }
    }

    private static void loop(ImapConnectionFactory imapra, IMAPStore open, double seconds, List<Double> pooled,
                             List<Double> direct) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (long i = 0; System.nanoTime() < end; i++) {
            boolean pooledFirst = (i & 1) == 0;
            for (int k = 0; k < 2; k++) {
                boolean isPooled = (k == 0) == pooledFirst;
                long t0 = System.nanoTime();
                if (isPooled) {
                    try (ImapConnection c = imapra.getConnection()) {
                        c.status("INBOX");
                    }
                } else {
                    HandWritten.status(open);
                }
                double micros = (System.nanoTime() - t0) / 1e3;
                if (pooled != null) {
                    (isPooled ? pooled : direct).add(micros);
                }
            }
        }
    }
}
