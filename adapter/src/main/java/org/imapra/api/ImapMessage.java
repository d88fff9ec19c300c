package org.imapra.api;

import jakarta.mail.Flags;
import jakarta.mail.Message;
import java.time.Instant;
import java.util.List;

/**
 * A message as fetched by {@link ImapConnection#fetch}: the envelope and structure data are already here; the body
 * streams from the server through {@link #message()} on demand.
 */
public interface ImapMessage {

    String folder();

    long uidValidity();

    long uid();

    /** The Message-ID header, or null. */
    String messageId();

    String subject();

    List<String> from();

    List<String> to();

    /** Date header, or null. */
    Instant sentDate();

    /** INTERNALDATE. */
    Instant receivedDate();

    /** RFC822.SIZE in bytes. */
    long size();

    Flags flags();

    /** The top-level Content-Type from BODYSTRUCTURE. */
    String contentType();

    /**
     * The live Jakarta Mail message: reading its content streams from the server (BODY.PEEK, so reading does not set
     * \Seen). Valid while the connection is open and until another folder is used on it.
     *
     * @throws IllegalStateException when no longer valid
     */
    Message message();
}
