package org.imapra.auth;

/** Fetches a new token from the token endpoint: one call, one HTTP request. */
public interface TokenSource {

    AccessToken fetch(TokenRequest request) throws TokenException;
}
