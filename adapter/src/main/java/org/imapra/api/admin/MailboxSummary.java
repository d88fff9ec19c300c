package org.imapra.api.admin;

import java.io.Serializable;

/**
 * One line of the definitions list. {@code lastPing} is null until the definition was pinged. {@code signIn} is null
 * for APP_ONLY, else "signed in as …" or "needs sign-in again: …".
 */
public record MailboxSummary(String name, String userName, String tenantId, String cloud, PingReport lastPing,
                             LiveStatus status, String signIn) implements Serializable {

    public MailboxSummary(String name, String userName, String tenantId, String cloud, PingReport lastPing,
                          LiveStatus status) {
        this(name, userName, tenantId, cloud, lastPing, status, null);
    }

    /** True when a DELEGATED definition needs someone to sign in (again). */
    public boolean needsSignIn() {
        return signIn != null && signIn.startsWith("needs sign-in");
    }
}
