package org.imapra.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The client assertion of a federated credential: the external OIDC token (a JWT) in {@code federatedTokenFile},
 * read anew for every token request, so that a token rotated on disk (Kubernetes refreshes projected service-account
 * tokens) is what the next request sends.
 */
final class FederatedAssertion {

    private FederatedAssertion() {
    }

    /** The token in the request's federated token file; a missing, empty or non-JWT file is named as such. */
    static String read(TokenRequest request) throws TokenException {
        String file = request.credential().certificatePath();
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw failure(request, "the federated token file '" + file + "' (federatedTokenFile) does not exist: "
                    + "check the path, or the projected service-account token volume", e);
        } catch (AccessDeniedException e) {
            throw failure(request, "the federated token file '" + file + "' is not readable by the server's user", e);
        } catch (IOException | InvalidPathException e) {
            throw failure(request, "cannot read the federated token file '" + file + "': " + e.getMessage(), e);
        }
        if (text.isEmpty()) {
            throw failure(request, "the federated token file '" + file + "' is empty", null);
        }
        if (text.split("\\.", -1).length != 3 || text.chars().anyMatch(Character::isWhitespace)) {
            throw failure(request, "the federated token file '" + file + "' does not hold a JWT (three "
                    + "base64url parts separated by dots)", null);
        }
        return text;
    }

    /** For MSAL's assertion callback: the same, unchecked. */
    static String readForCallback(TokenRequest request) {
        try {
            return read(request);
        } catch (TokenException e) {
            throw new Unreadable(e);
        }
    }

    private static TokenException failure(TokenRequest request, String message, Exception cause) {
        return new TokenException(request.tokenEndpoint(), 0, null, List.of(), message, null, cause);
    }

    /** Carries the {@link TokenException} out of MSAL's callback. */
    static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreadable(TokenException cause) {
            super(cause.getMessage(), cause);
        }

        TokenException failure() {
            return (TokenException) getCause();
        }
    }
}
