package org.imapra.config;

import java.time.Instant;
import java.util.Locale;

/**
 * The delegated sign-in of a definition as stored next to it ({@code <name>.tokens}, the cache encrypted): for which
 * mailbox and app it was made, who signed in and when, MSAL's serialized token cache (with the refresh token), and
 * whether it needs a new sign-in. {@link #toString()} never shows the cache.
 *
 * @param needsSignIn why a new sign-in is needed (refresh refused), or null
 */
public record SignInState(String userName, String tenantId, String clientId, String signedInAs, String homeAccountId,
                          Instant signedInAt, String cache, String needsSignIn, Instant needsSignInSince) {

    /** Whether this sign-in was made for the definition's current mailbox, tenant and app. */
    public boolean matches(MailboxDefinition d) {
        return d.userName().toLowerCase(Locale.ROOT).equals(userName.toLowerCase(Locale.ROOT))
                && d.tenantId().equalsIgnoreCase(tenantId) && d.clientId().equalsIgnoreCase(clientId);
    }

    /**
     * Whether {@code other} is this same sign-in (possibly with a refreshed cache or marked as needing sign-in), not
     * a newer one: who signed in, as which account, and when.
     */
    public boolean sameSignIn(SignInState other) {
        return other != null && signedInAt.equals(other.signedInAt) && homeAccountId.equals(other.homeAccountId)
                && signedInAs.equals(other.signedInAs);
    }

    public SignInState withCache(String newCache) {
        return new SignInState(userName, tenantId, clientId, signedInAs, homeAccountId, signedInAt, newCache,
                needsSignIn, needsSignInSince);
    }

    public SignInState withNeedsSignIn(String reason, Instant since) {
        return new SignInState(userName, tenantId, clientId, signedInAs, homeAccountId, signedInAt, cache, reason,
                since);
    }

    @Override
    public String toString() {
        return "SignInState[" + userName + ", signedInAs=" + signedInAs + ", signedInAt=" + signedInAt
                + ", needsSignIn=" + needsSignIn + ", cache=********]";
    }
}
