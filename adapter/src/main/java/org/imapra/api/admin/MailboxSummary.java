package org.imapra.api.admin;

import java.io.Serializable;

/**
 * One line of the definitions list. {@code lastPing} is null until the definition was pinged. {@code signIn} is null
 * for APP_ONLY, else "signed in as …" or "needs sign-in again: …". {@code problem} is null, or why the definition
 * cannot work as stored (e.g. its certificate file is missing): connections and pings fail until it is fixed.
 */
public record MailboxSummary(String name, String userName, String tenantId, String cloud, PingReport lastPing,
                             LiveStatus status, String signIn, String problem) implements Serializable {

    public MailboxSummary(String name, String userName, String tenantId, String cloud, PingReport lastPing,
                          LiveStatus status, String signIn) {
        this(name, userName, tenantId, cloud, lastPing, status, signIn, null);
    }

    public MailboxSummary(String name, String userName, String tenantId, String cloud, PingReport lastPing,
                          LiveStatus status) {
        this(name, userName, tenantId, cloud, lastPing, status, null);
    }

    /** True when a DELEGATED definition needs someone to sign in (again). */
    public boolean needsSignIn() {
        return signIn != null && signIn.startsWith("needs sign-in");
    }
}
