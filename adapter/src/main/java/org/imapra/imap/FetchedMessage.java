package org.imapra.imap;

import jakarta.mail.Address;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.imapra.api.ImapMessage;

/** An {@link ImapMessage} whose envelope data was fetched in one batch; the body stays on the server. */
final class FetchedMessage implements ImapMessage {

    private final IMAPMessage message;
    private final String folder;
    private final long uidValidity;
    private final long uid;
    private final String messageId;
    private final String subject;
    private final List<String> from;
    private final List<String> to;
    private final Instant sentDate;
    private final Instant receivedDate;
    private final long size;
    private final Flags flags;
    private final String contentType;
    private final BooleanSupplier valid;

    FetchedMessage(IMAPMessage m, String folder, long uidValidity, long uid, BooleanSupplier valid)
            throws MessagingException {
        this.message = m;
        this.folder = folder;
        this.uidValidity = uidValidity;
        this.uid = uid;
        this.messageId = m.getMessageID();
        this.subject = m.getSubject();
        this.from = addresses(m.getFrom());
        this.to = addresses(m.getRecipients(Message.RecipientType.TO));
        this.sentDate = instant(m.getSentDate());
        this.receivedDate = instant(m.getReceivedDate());
        this.size = m.getSize();
        this.flags = m.getFlags();
        this.contentType = m.getContentType();
        this.valid = valid;
    }

    private static List<String> addresses(Address[] addresses) {
        List<String> out = new ArrayList<>();
        if (addresses != null) {
            for (Address a : addresses) {
                out.add(a.toString());
            }
        }
        return List.copyOf(out);
    }

    private static Instant instant(Date d) {
        return d == null ? null : d.toInstant();
    }

    @Override
    public String folder() {
        return folder;
    }

    @Override
    public long uidValidity() {
        return uidValidity;
    }

    @Override
    public long uid() {
        return uid;
    }

    @Override
    public String messageId() {
        return messageId;
    }

    @Override
    public String subject() {
        return subject;
    }

    @Override
    public List<String> from() {
        return from;
    }

    @Override
    public List<String> to() {
        return to;
    }

    @Override
    public Instant sentDate() {
        return sentDate;
    }

    @Override
    public Instant receivedDate() {
        return receivedDate;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Flags flags() {
        return (Flags) flags.clone();
    }

    @Override
    public String contentType() {
        return contentType;
    }

    @Override
    public Message message() {
        if (!valid.getAsBoolean()) {
            throw new IllegalStateException("message UID " + uid + " of " + folder + " is no longer readable: its "
                    + "connection was closed or another folder was used on it; fetch it again");
        }
        return message;
    }

    @Override
    public String toString() {
        return "ImapMessage[" + folder + " uid=" + uid + " uidValidity=" + uidValidity + " messageId=" + messageId
                + " size=" + size + "]";
    }
}
