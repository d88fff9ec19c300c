package org.imapra.bench.app;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import java.io.IOException;
import java.io.InputStream;
import org.imapra.api.MailListener;

/**
 * P3's MDB: receives every new message of INBOX of the definition {@value #MAILBOX} (saved by the harness, pointing
 * at the benchmark's mailbox on the server measured) with the adapter's defaults and MARK_SEEN, and reads it as every
 * loop of the benchmark does: subject, sender, then every part's decoded content streamed. Counts in
 * {@link MdbCounter}. Its adapter is named in WEB-INF/glassfish-ejb-jar.xml.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "mailbox", propertyValue = BenchMailListener.MAILBOX),
    @ActivationConfigProperty(propertyName = "folder", propertyValue = "INBOX"),
    @ActivationConfigProperty(propertyName = "afterDelivery", propertyValue = "MARK_SEEN")})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BenchMailListener implements MailListener {

    public static final String MAILBOX = "bench-mdb";

    @Override
    public void onMessage(Message message) {
        try {
            message.getSubject();
            message.getFrom();
            long n;
            if (message.isMimeType("multipart/*")) {
                n = parts((Multipart) message.getContent());
            } else {
                try (InputStream in = message.getInputStream()) {
                    n = drain(in);
                }
            }
            MdbCounter.delivered(n);
        } catch (MessagingException | IOException | RuntimeException e) {
            MdbCounter.failed();
            throw new IllegalStateException("could not read the message: " + e, e); // stays unseen, delivered again
        }
    }

    private static long parts(Multipart mp) throws MessagingException, IOException {
        long n = 0;
        for (int i = 0; i < mp.getCount(); i++) {
            BodyPart part = mp.getBodyPart(i);
            if (part.isMimeType("multipart/*")) {
                n += parts((Multipart) part.getContent());
            } else {
                try (InputStream in = part.getInputStream()) {
                    n += drain(in);
                }
            }
        }
        return n;
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        long n = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            n += r;
        }
        return n;
    }
}
