package org.imapra.config;

import java.time.Instant;

/**
 * A definition as kept by the store, with what the optimistic locking and the console need.
 *
 * @param version         1 when created, +1 with every save
 * @param secretChangedAt when a secret (client secret or certificate password) last changed
 */
public record StoredDefinition(MailboxDefinition definition, long version, Instant updatedAt, String updatedBy,
                               Instant secretChangedAt) {
}
