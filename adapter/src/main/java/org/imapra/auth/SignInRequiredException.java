package org.imapra.auth;

import java.util.List;

/**
 * A delegated definition has no working sign-in: never connected, or its refresh token was refused (expired
 * AADSTS700082, revoked, consent withdrawn). Nothing is requested until someone signs in again in the console.
 */
public class SignInRequiredException extends TokenException {

    private static final long serialVersionUID = 1L;

    /** The hint every surface shows (ping, connection errors, inbound activations, the console). */
    public static final String HINT = "Sign in again: Connect mailbox in the console (imapra console → edit the "
            + "definition → Connect mailbox)";

    public SignInRequiredException(String tokenEndpoint, int httpStatus, String error, List<String> errorCodes,
                                   String description, String correlationId, Throwable cause) {
        super(tokenEndpoint, httpStatus, error, errorCodes, "needs sign-in again: " + description, correlationId,
                cause, HINT);
    }
}
