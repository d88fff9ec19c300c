package org.imapra.bench;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Date;
import java.util.Properties;
import java.util.SplittableRandom;
import org.imapra.standin.LocalM365;

/** The benchmark's messages, filling the mailbox directly through GreenMail, and the one way every loop reads them. */
final class Mails {

    private static final Session SESSION = Session.getInstance(new Properties());

    private Mails() {
    }

    /** A small text message (about 600 bytes in all). */
    static MimeMessage small(String subject) throws MessagingException {
        MimeMessage m = base(subject);
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            body.append("Line ").append(i).append(" of ").append(subject).append(": the quick brown fox jumps over the lazy dog.\r\n");
        }
        m.setText(body.toString(), "UTF-8");
        m.saveChanges();
        return m;
    }

    /** A short text and an attachment of {@code data} (application/octet-stream, base64). */
    static MimeMessage withAttachment(String subject, byte[] data) throws MessagingException {
        return withAttachment(subject, new Bytes(data));
    }

    /**
     * A short text and an attachment of {@code size} pseudo-random bytes generated while the message is written, so
     * that the attachment is never held in memory by this side.
     */
    static MimeMessage withStreamedAttachment(String subject, long size, long seed) throws MessagingException {
        return withAttachment(subject, new Generated(size, seed));
    }

    private static MimeMessage withAttachment(String subject, DataSource data) throws MessagingException {
        MimeMessage m = base(subject);
        MimeBodyPart text = new MimeBodyPart();
        text.setText("See the attachment of " + subject + ".", "UTF-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(data));
        attachment.setFileName(subject.replace(' ', '-') + ".bin");
        attachment.setDisposition(Part.ATTACHMENT);
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        m.setContent(new MimeMultipart(text, attachment));
        m.saveChanges();
        return m;
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static MimeMessage base(String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(SESSION);
        m.setFrom(new InternetAddress("sender@fabrikam.example"));
        m.setRecipients(Message.RecipientType.TO, LocalM365.DEFAULT_MAILBOX);
        m.setSubject(subject, "UTF-8");
        m.setSentDate(new Date());
        return m;
    }

    /** Puts the message into the stand-in mailbox's INBOX (GreenMail directly: no SMTP, no IMAP). */
    static void deliver(LocalM365 m365, MimeMessage m) {
        m365.mailServer().deliver(LocalM365.DEFAULT_MAILBOX, m);
    }

    static MailFolder inbox(LocalM365 m365) {
        return inbox(m365, LocalM365.DEFAULT_MAILBOX);
    }

    static MailFolder inbox(LocalM365 m365, String mailbox) {
        GreenMailUser user = m365.mailServer().createMailbox(mailbox);
        try {
            return m365.mailServer().greenMail().getManagers().getImapHostManager().getInbox(user);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void purge(LocalM365 m365) {
        try {
            m365.mailServer().greenMail().purgeEmailFromAllMailboxes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * How every loop reads a message: envelope (subject, from), then every part's decoded content streamed through
     * {@code digest} (or just counted when null). Returns the content bytes read.
     */
    static long consume(Message m, MessageDigest digest) throws MessagingException, IOException {
        m.getSubject();
        m.getFrom();
        if (m.isMimeType("multipart/*")) {
            return consumeParts((Multipart) m.getContent(), digest);
        }
        try (InputStream in = m.getInputStream()) {
            return drain(in, digest);
        }
    }

    private static long consumeParts(Multipart mp, MessageDigest digest) throws MessagingException, IOException {
        long n = 0;
        for (int i = 0; i < mp.getCount(); i++) {
            BodyPart part = mp.getBodyPart(i);
            if (part.isMimeType("multipart/*")) {
                n += consumeParts((Multipart) part.getContent(), digest);
            } else {
                try (InputStream in = part.getInputStream()) {
                    n += drain(in, digest);
                }
            }
        }
        return n;
    }

    private static long drain(InputStream in, MessageDigest digest) throws IOException {
        byte[] buf = new byte[8192];
        long n = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            if (digest != null) {
                digest.update(buf, 0, r);
            }
            n += r;
        }
        return n;
    }

    /** An in-memory attachment. */
    private record Bytes(byte[] data) implements DataSource {
        @Override
        public InputStream getInputStream() {
            return new java.io.ByteArrayInputStream(data);
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getContentType() {
            return "application/octet-stream";
        }

        @Override
        public String getName() {
            return "attachment.bin";
        }
    }

    /** {@code size} pseudo-random bytes from {@code seed}, generated as they are read. */
    private record Generated(long size, long seed) implements DataSource {
        @Override
        public InputStream getInputStream() {
            return new InputStream() {
                private final SplittableRandom random = new SplittableRandom(seed);
                private long left = size;

                @Override
                public int read() {
                    if (left <= 0) {
                        return -1;
                    }
                    left--;
                    return random.nextInt(256);
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = (int) Math.min(len, left);
                    for (int i = 0; i < n; i++) {
                        b[off + i] = (byte) random.nextInt(256);
                    }
                    left -= n;
                    return n;
                }
            };
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getContentType() {
            return "application/octet-stream";
        }

        @Override
        public String getName() {
            return "attachment.bin";
        }
    }
}
