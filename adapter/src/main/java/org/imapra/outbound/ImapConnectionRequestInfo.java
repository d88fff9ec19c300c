package org.imapra.outbound;

import jakarta.resource.spi.ConnectionRequestInfo;
import java.util.Objects;
import org.imapra.config.MailboxDefinition;

/** Which mailbox definition a connection request is for; pools match managed connections on it. */
final class ImapConnectionRequestInfo implements ConnectionRequestInfo {

    private final MailboxDefinition definition;

    ImapConnectionRequestInfo(MailboxDefinition definition) {
        this.definition = Objects.requireNonNull(definition);
    }

    MailboxDefinition definition() {
        return definition;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImapConnectionRequestInfo other && definition.equals(other.definition);
    }

    @Override
    public int hashCode() {
        return definition.hashCode();
    }

    @Override
    public String toString() {
        return "ImapConnectionRequestInfo[" + definition.describe() + "]";
    }
}
