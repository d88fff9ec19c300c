package org.imapra.api;

import java.io.Serializable;
import java.time.Instant;

/**
 * A stored definition as the console shows it: everything but the secrets, of which only "set, last changed" is
 * told.
 *
 * @param version          increases with every change; pass it back to update/delete
 * @param secretSet        whether a client secret is stored
 * @param secretChangedAt  when the client secret (or certificate password) was last changed, or null
 */
public record DefinitionView(String name, String userName, String tenantId, String clientId, boolean secretSet,
                             Instant secretChangedAt, String certificatePath, boolean certificatePasswordSet,
                             String cloud, String authorityHost, String imapHost, int imapPort, String scope,
                             String saslMechanism, int connectTimeoutMillis, int readTimeoutMillis, String httpsProxy,
                             long version, Instant updatedAt, String updatedBy) implements Serializable {
}
