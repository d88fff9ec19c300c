package org.imapra.clusterit;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where this instance's MDBs record each delivery: one line "mailbox subject" appended to the file named by the
 * system property {@value #FILE_PROPERTY} (one file per instance), written before onMessage returns, then a tab and
 * {@link System#nanoTime()} at that moment (on Linux the same clock in every process of the machine). A subject that
 * starts with "slow-" or "pause-" takes {@value #SLOW_MILLIS} ms, so that a batch is long enough to be cut by a kill
 * or a pause.
 */
final class Deliveries {

    static final String FILE_PROPERTY = "imapra.it.deliveries";
    static final long SLOW_MILLIS = 700;

    private Deliveries() {
    }

    static synchronized void record(String mailbox, Message m) {
        try {
            String subject = m.getSubject();
            if (subject != null && (subject.startsWith("slow-") || subject.startsWith("pause-"))) {
                Thread.sleep(SLOW_MILLIS);
            }
            Files.writeString(Path.of(System.getProperty(FILE_PROPERTY)),
                    mailbox + " " + subject + "\t" + System.nanoTime() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot read the message: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
