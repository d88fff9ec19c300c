package org.imapra.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.imapra.standin.LocalCertificates;
import org.imapra.standin.LocalM365;

/**
 * P5's IMAP server in its own JVM: the local Microsoft 365 stand-in (token endpoint and GreenMail IMAPS) with
 * {@code messages} messages of {@code attachmentMb} MB attachments each, generated while GreenMail stores them. Writes
 * the stand-in CA as a PKCS12 trust store (password "changeit") to {@code trustStore}, prints
 * {@code READY <authorityHost> <imapHost> <imapsPort>} once the first {@value #READY_AFTER} messages are in (the rest
 * follow while the consumer runs) and serves until its standard input closes (at most 30 min).
 *
 * <p>GreenMail keeps every message in its heap (about 1.37 × the attachment size, base64): the parent starts this JVM
 * with enough heap for that.
 */
public final class P5ServerMain {

    /** READY is printed once this many messages are in; the rest are delivered while the consumer runs. */
    static final int READY_AFTER = 3;

    private P5ServerMain() {
    }

    private static void fill(LocalM365 m365, int from, int to, int messages, int attachmentMb, long t0) {
        for (int i = from; i <= to; i++) {
            try {
                Mails.deliver(m365, Mails.withStreamedAttachment("P5 " + i, attachmentMb * 1024L * 1024L, i));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
            if (i % 10 == 0 || i == messages) {
                Runtime rt = Runtime.getRuntime();
                System.out.println("filled " + i + " of " + messages + " (" + attachmentMb + " MB each) in "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms; server heap used "
                        + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024) + " MB of "
                        + rt.maxMemory() / (1024 * 1024) + " MB");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int messages = Integer.parseInt(args[0]);
        int attachmentMb = Integer.parseInt(args[1]);
        Path trustStore = Path.of(args[2]);
        Bench.init();
        try (LocalM365 m365 = Bench.startStandIn()) {
            m365.certificates().writeTrustStore(trustStore, LocalCertificates.JVM_TRUST_STORE_PASSWORD.toCharArray());
            long t0 = System.nanoTime();
            int first = Math.min(messages, READY_AFTER);
            fill(m365, 1, first, messages, attachmentMb, t0);
            System.out.println("READY " + m365.authorityHost() + " " + m365.imapHost() + " " + m365.imapsPort());
            System.out.flush();
            Thread rest = new Thread(() -> fill(m365, first + 1, messages, messages, attachmentMb, t0), "p5-fill");
            rest.setDaemon(true);
            rest.start();
            Thread stdin = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // wait for EOF
                    }
                } catch (java.io.IOException e) {
                    // parent gone
                }
            }, "stdin-watch");
            stdin.setDaemon(true);
            stdin.start();
            stdin.join(TimeUnit.MINUTES.toMillis(30));
        }
        System.exit(0);
    }
}
