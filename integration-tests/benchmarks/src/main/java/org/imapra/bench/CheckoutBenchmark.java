package org.imapra.bench;

import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.outbound.NonManagedConnectionManager;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * P1: one checkout = {@code getConnection()} + one STATUS + {@code close()} on a warm pool, against a hand-written
 * client that connects per call (new Angus Session, token, TLS handshake, AUTHENTICATE XOAUTH2, STATUS, LOGOUT). The
 * stand-in (token endpoint + GreenMail IMAPS) runs in the benchmark's JVM on loopback. Single thread; SampleTime gives
 * the latency distribution, ops/s is 1 / mean.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CheckoutBenchmark {

    /** {@code dovecot} or {@code greenmail} ({@link BenchServer}). */
    @Param({"dovecot", "greenmail"})
    public String server;

    private BenchServer m365;
    private NonManagedConnectionManager pool;
    private ImapConnectionFactory imapra;
    private HandWritten.Tokens msal;
    private IMAPStore open;

    @Setup(Level.Trial)
    public void start() throws Exception {
        Bench.init();
        m365 = BenchServer.start(server);
        m365.fill(Bench.MAILBOX, 1, i -> {
            try {
                return Mails.small("p1");
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        });
        pool = new NonManagedConnectionManager(8, 30_000);
        imapra = (ImapConnectionFactory) Bench.factory(m365.authorityHost(), m365.imapHost(), m365.imapsPort())
                .createConnectionFactory(pool);
        try (ImapConnection c = imapra.getConnection()) { // warm: token and one pooled connection
            c.status("INBOX");
        }
        msal = HandWritten.msal(m365.authorityHost());
        msal.token(); // a token held, as in a long-running hand-written application
        open = HandWritten.connect(m365.imapHost(), m365.imapsPort(), msal.token());
    }

    @TearDown(Level.Trial)
    public void stop() {
        HandWritten.closeQuietly(open);
        pool.close();
        m365.close();
    }

    /** The floor: STATUS on one Angus connection opened once and kept (no pool, no checkout). */
    @Benchmark
    public int openConnection() throws Exception {
        return HandWritten.status(open);
    }

    /** imapra: pooled connection, STATUS, back to the pool. */
    @Benchmark
    public int imapraPooled() throws Exception {
        try (ImapConnection c = imapra.getConnection()) {
            return c.status("INBOX").messages();
        }
    }

    /** Hand-written: the token held (as MSAL's cache would), new Session + TLS + XOAUTH2, STATUS, LOGOUT — each call. */
    @Benchmark
    public int connectPerCall() throws Exception {
        IMAPStore store = HandWritten.connect(m365.imapHost(), m365.imapsPort(), msal.token());
        try {
            return HandWritten.status(store);
        } finally {
            HandWritten.closeQuietly(store);
        }
    }

    /** Hand-written without a token cache: a new MSAL app and a token request to the endpoint as well, each call. */
    @Benchmark
    public int connectPerCallNewToken() throws Exception {
        HandWritten.Tokens fresh = HandWritten.msal(m365.authorityHost());
        IMAPStore store = HandWritten.connect(m365.imapHost(), m365.imapsPort(), fresh.token());
        try {
            return HandWritten.status(store);
        } finally {
            HandWritten.closeQuietly(store);
        }
    }
}
