package org.imapra.config;

/**
 * How the app gets its IMAP token: {@link #APP_ONLY} (client credentials, application permission
 * {@code IMAP.AccessAsApp}) or {@link #DELEGATED} (a user signed in once through the console and consented to
 * {@code IMAP.AccessAsUser.All}; the refresh token, rotated by Microsoft, is kept encrypted in the store).
 */
public enum AuthMode {
    APP_ONLY,
    DELEGATED
}
