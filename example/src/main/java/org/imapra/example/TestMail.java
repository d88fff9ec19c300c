package org.imapra.example;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Properties;

/**
 * Sandbox only: sends a test mail over plain SMTP to the local Microsoft 365 stand-in, whose address {@code ./run}
 * passes to Payara as the system properties {@value #HOST_PROPERTY} and {@value #PORT_PROPERTY}. Against real
 * Microsoft 365 these are not set, and the page shows no button.
 */
public final class TestMail {

    public static final String HOST_PROPERTY = "imapra.sandbox.smtpHost";
    public static final String PORT_PROPERTY = "imapra.sandbox.smtpPort";

    private TestMail() {
    }

    /** Whether an SMTP server to send test mails to was configured. */
    public static boolean available() {
        return System.getProperty(HOST_PROPERTY) != null && System.getProperty(PORT_PROPERTY) != null;
    }

    /** Sends a short plain-text mail to {@code to}; returns its subject. */
    public static String send(String to) throws MessagingException {
        if (!available()) {
            throw new IllegalStateException("No SMTP server for test mails: set the system properties "
                    + HOST_PROPERTY + " and " + PORT_PROPERTY);
        }
        Properties props = new Properties();
        props.put("mail.smtp.host", System.getProperty(HOST_PROPERTY));
        props.put("mail.smtp.port", System.getProperty(PORT_PROPERTY));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "10000");
        String subject = "Test mail " + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS"));
        MimeMessage m = new MimeMessage(Session.getInstance(props));
        m.setFrom(new InternetAddress("imapra example <sandbox@fabrikam.example>"));
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject(subject, "UTF-8");
        m.setText("Sent by the imapra example application's \"Send a test mail\" button.", "UTF-8");
        m.setSentDate(new Date());
        Transport.send(m);
        return subject;
    }
}
