package org.imapra.api;

import java.io.Serializable;

/** One line of the definitions list. {@code lastPing} is null until the definition was pinged. */
public record MailboxSummary(String name, String userName, String tenantId, String cloud, PingReport lastPing,
                             LiveStatus status) implements Serializable {
}
