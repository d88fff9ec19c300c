package org.imapra.api.admin;

import java.io.Serializable;
import java.time.Instant;

/**
 * A stored definition as the console shows it: everything but the secrets, of which only "set, last changed" is
 * told.
 *
 * @param version          increases with every change; pass it back to update/delete
 * @param secretSet        whether a client secret is stored
 * @param secretChangedAt  when the client secret (or certificate password) was last changed, or null
 * @param authMode         APP_ONLY or DELEGATED
 * @param signedInAs       DELEGATED: the account that signed in (Connect mailbox), or null when not connected
 * @param signedInAt       DELEGATED: when it signed in, or null
 * @param needsSignIn      DELEGATED: why it needs sign-in again (not connected, refresh refused), or null when it works
 */
public record DefinitionView(String name, String userName, String tenantId, String clientId, boolean secretSet,
                             Instant secretChangedAt, String certificatePath, boolean certificatePasswordSet,
                             String cloud, String authorityHost, String imapHost, int imapPort, String scope,
                             String saslMechanism, int connectTimeoutMillis, int readTimeoutMillis, String httpsProxy,
                             long version, Instant updatedAt, String updatedBy, String authMode,
                             String signedInAs, Instant signedInAt, String needsSignIn) implements Serializable {

    public boolean delegated() {
        return "DELEGATED".equals(authMode);
    }
}
