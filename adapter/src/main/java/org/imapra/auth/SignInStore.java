package org.imapra.auth;

import java.io.IOException;

/**
 * Where a delegated definition's sign-in lives: MSAL's serialized token cache (with the rotating refresh token) and
 * the signed-in account, persisted (encrypted) so that connections work unattended and across restarts. Every new
 * refresh token is saved before it can be used again: a refresh loads, requests and saves under {@link #lock()}.
 */
public interface SignInStore {

    /** Non-secret identity (store and definition name): keys token caches. */
    String key();

    /** Held for a whole refresh (load, token request, save): refresh tokens rotate. */
    Object lock();

    /** Why the user must sign in again (never signed in, refresh refused, definition changed), or null. */
    String signInRequired() throws IOException;

    /** MSAL's home account id of the signed-in user. */
    String homeAccountId() throws IOException;

    /** MSAL's serialized token cache, or null. */
    String loadCache() throws IOException;

    /** Persists MSAL's serialized token cache (atomically, encrypted) before anything else uses it. */
    void saveCache(String serializedCache) throws IOException;

    /** Remembers that the sign-in no longer works (persisted): no token request until the user signs in again. */
    void markSignInRequired(String reason);

    /**
     * Called under {@link #lock()} before a refresh: a store shared by several instances claims the sign-in there
     * (waiting, bounded, for another instance's refresh to end), so that a rotated refresh token is never presented
     * by two instances.
     */
    default void claimRefresh() throws IOException {
    }

    /** Called under {@link #lock()} when the refresh ended, saved or not: releases the claim. */
    default void endRefresh() {
    }
}
