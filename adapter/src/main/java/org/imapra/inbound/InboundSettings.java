package org.imapra.inbound;

import java.io.Serializable;
import org.imapra.config.MailboxDefinition;

/**
 * The validated settings of one activation (see {@link ImapActivationSpec} for each property's meaning).
 *
 * @param mode null: IDLE when the server advertises it, else POLL
 */
public record InboundSettings(MailboxDefinition definition, String folder, ListenMode mode, int pollIntervalSeconds,
                              int idleRenewSeconds, int idleCheckSeconds, SearchFilter searchFilter, int maxMessagesPerBatch,
                              AfterDelivery afterDelivery, String moveTo, int maxAttempts, String errorFolder,
                              long retryBackoffMillis, long maxRetryBackoffMillis, int maxConcurrency)
        implements Serializable {

    /** "support@contoso.com/INBOX": names the activation in log lines. */
    public String describe() {
        return definition.userName() + "/" + folder;
    }
}
