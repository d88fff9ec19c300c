package org.imapra.api;

import java.util.List;

/**
 * Getting a token or authenticating to the IMAP server failed. Carries what is needed to diagnose it without reading
 * server logs: the token endpoint, HTTP status, Entra {@code error}, the AADSTS codes, the description, the
 * correlation id, and a hint saying what to do. Never carries a secret or a token.
 */
public class ImapAuthenticationException extends ImapException {

    private static final long serialVersionUID = 1L;

    private final Details details;

    public ImapAuthenticationException(String message, String mailbox, Details details, Throwable cause) {
        super(message, mailbox, details.tokenEndpoint() == null ? "AUTHENTICATE" : "token request", cause);
        this.details = details;
    }

    /** The diagnostic fields in one value. */
    public Details details() {
        return details;
    }

    /** Token endpoint URL the request went to, or null when the IMAP server refused the token. */
    public String tokenEndpoint() {
        return details.tokenEndpoint();
    }

    /** HTTP status of the token response, or 0 when there was none. */
    public int httpStatus() {
        return details.httpStatus();
    }

    /** Entra's {@code error} field (e.g. {@code invalid_client}), or null. */
    public String error() {
        return details.error();
    }

    /** AADSTS codes, e.g. {@code AADSTS7000215}; empty when there are none. */
    public List<String> errorCodes() {
        return details.errorCodes();
    }

    /** Entra's {@code error_description}, or the IMAP server's words. */
    public String description() {
        return details.description();
    }

    /** Entra correlation id, or null. */
    public String correlationId() {
        return details.correlationId();
    }

    /** What to do about it, or null. */
    public String hint() {
        return details.hint();
    }

    /** The diagnostic fields, grouped to keep the constructor readable. */
    public record Details(String tokenEndpoint, int httpStatus, String error, List<String> errorCodes,
                          String description, String correlationId, String hint) implements java.io.Serializable {
        public Details {
            errorCodes = errorCodes == null ? List.of() : List.copyOf(errorCodes);
        }
    }
}
