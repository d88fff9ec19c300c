package org.imapra.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.imapra.standin.LocalCertificates;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog of multipart messages far larger than the heap is drained in a child JVM with {@value #HEAP} and
 * -XX:+ExitOnOutOfMemoryError ({@link BacklogDrainMain}): every message is delivered, and no OutOfMemoryError. Before
 * delivered messages released their parsed content, the messages of a connection kept it (Angus' message cache
 * holds them for the connection's life with MARK_SEEN) and the child ran out of memory.
 */
@Timeout(240)
class BoundedMemoryBacklogTest {

    static final String HEAP = "-Xmx64m";
    /** About 96 MB of messages: more than the child's heap. */
    static final int MESSAGES = 1_500;
    static final int ATTACHMENT_BYTES = 48 * 1024; // 64 KB in base64

    @TempDir
    Path dir;

    @Test
    void aBacklogLargerThanTheHeapIsDrainedCompletelyWithoutOutOfMemoryError() throws Exception {
        try (LocalM365 m365 = LocalM365.startDefault()) {
            m365.mailServer().createMailbox(LocalM365.DEFAULT_MAILBOX);
            m365.mailServer().grantMailbox(LocalM365.DEFAULT_CLIENT_ID, LocalM365.DEFAULT_MAILBOX);
            byte[] attachment = new byte[ATTACHMENT_BYTES];
            new Random(19).nextBytes(attachment);
            for (int i = 1; i <= MESSAGES; i++) {
                m365.mailServer().deliver(LocalM365.DEFAULT_MAILBOX, multipart("backlog " + i, attachment));
            }
            Path trustStore = m365.certificates().writeTrustStore(dir.resolve("trust.p12"),
                    LocalCertificates.JVM_TRUST_STORE_PASSWORD.toCharArray());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process child = new ProcessBuilder(java, HEAP, "-XX:+ExitOnOutOfMemoryError",
                    "-Djavax.net.ssl.trustStore=" + trustStore,
                    "-Djavax.net.ssl.trustStorePassword=" + LocalCertificates.JVM_TRUST_STORE_PASSWORD,
                    "-Djavax.net.ssl.trustStoreType=PKCS12",
                    "-cp", cp, BacklogDrainMain.class.getName(), m365.authorityHost(), m365.imapHost(),
                    Integer.toString(m365.imapsPort()), Integer.toString(MESSAGES), "150")
                    .redirectErrorStream(true).start();
            List<String> out = new ArrayList<>();
            String done = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    out.add(line);
                    if (line.startsWith("DONE ")) {
                        done = line;
                    }
                }
            } finally {
                if (!child.waitFor(30, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            }
            String tail = String.join("\n", out.subList(Math.max(0, out.size() - 40), out.size()));
            System.out.println("backlog drain in " + HEAP + ": " + done);
            assertTrue(out.stream().noneMatch(l -> l.contains("OutOfMemoryError")), "OutOfMemoryError:\n" + tail);
            assertEquals(0, child.exitValue(), "child exit (3: OutOfMemoryError):\n" + tail);
            assertTrue(done != null && done.startsWith("DONE " + MESSAGES + " "), "delivered: " + done + "\n" + tail);
            assertEquals(0, InboundStandIn.subjects(m365, "INBOX", false).size(), "unseen messages left");
        }
    }

    private static MimeMessage multipart(String subject, byte[] attachment) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress("sender@fabrikam.example"));
        m.setRecipients(MimeMessage.RecipientType.TO, LocalM365.DEFAULT_MAILBOX);
        m.setSubject(subject);
        MimeBodyPart text = new MimeBodyPart();
        text.setText("see the attachment of " + subject, "UTF-8");
        MimeBodyPart file = new MimeBodyPart();
        file.setContent(attachment, "application/octet-stream");
        file.setFileName("data.bin");
        file.setHeader("Content-Transfer-Encoding", "base64");
        m.setContent(new MimeMultipart(text, file));
        m.saveChanges();
        return m;
    }
}
