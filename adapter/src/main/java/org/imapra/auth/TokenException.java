package org.imapra.auth;

import java.util.List;
import org.imapra.api.ImapAuthenticationException;

/**
 * A token could not be obtained. Carries the token endpoint URL, the HTTP status, Entra's {@code error}, the AADSTS
 * codes, the description, the correlation id and a hint; never a secret.
 */
public class TokenException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ImapAuthenticationException.Details details;

    public TokenException(String tokenEndpoint, int httpStatus, String error, List<String> errorCodes,
                          String description, String correlationId, Throwable cause) {
        this(tokenEndpoint, httpStatus, error, errorCodes, description, correlationId, cause, null);
    }

    /** With an explicit hint (null: the hint for the AADSTS codes). */
    protected TokenException(String tokenEndpoint, int httpStatus, String error, List<String> errorCodes,
                             String description, String correlationId, Throwable cause, String explicitHint) {
        super(message(tokenEndpoint, httpStatus, error, errorCodes, description, correlationId, explicitHint),
                cause);
        List<String> codes = errorCodes == null ? List.of() : errorCodes;
        this.details = new ImapAuthenticationException.Details(tokenEndpoint, httpStatus, error, codes, description,
                correlationId, explicitHint != null ? explicitHint : AadstsHints.hint(codes, error, httpStatus, cause));
    }

    private static String message(String endpoint, int status, String error, List<String> codes, String description,
                                  String correlationId, String explicitHint) {
        StringBuilder sb = new StringBuilder("Token request to ").append(endpoint).append(" failed");
        if (status > 0) {
            sb.append(": HTTP ").append(status);
        }
        if (error != null) {
            sb.append(", error ").append(error);
        }
        if (codes != null && !codes.isEmpty() && (description == null || !description.startsWith(codes.get(0)))) {
            sb.append(", ").append(String.join(" ", codes));
        }
        if (description != null) {
            sb.append(": ").append(firstLine(description));
        }
        if (correlationId != null) {
            sb.append(" (correlation id ").append(correlationId).append(')');
        }
        String hint = explicitHint != null ? explicitHint
                : AadstsHints.hint(codes == null ? List.of() : codes, error, status, null);
        if (hint != null) {
            sb.append(". ").append(hint);
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\r') >= 0 ? s.indexOf('\r') : s.indexOf('\n');
        return nl >= 0 ? s.substring(0, nl) : s;
    }

    /** The diagnostic fields, as {@link ImapAuthenticationException} carries them to applications. */
    public ImapAuthenticationException.Details details() {
        return details;
    }

    public String tokenEndpoint() {
        return details.tokenEndpoint();
    }

    /** 0 when no HTTP response came (network failure, timeout). */
    public int httpStatus() {
        return details.httpStatus();
    }

    public String error() {
        return details.error();
    }

    /** e.g. {@code [AADSTS7000215]}. */
    public List<String> errorCodes() {
        return details.errorCodes();
    }

    public String description() {
        return details.description();
    }

    public String correlationId() {
        return details.correlationId();
    }

    /** What to do about it, or null. */
    public String hint() {
        return details.hint();
    }
}
