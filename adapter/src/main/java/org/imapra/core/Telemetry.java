package org.imapra.core;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.imapra.api.admin.MailboxTelemetry;
import org.imapra.config.MailboxDefinition;

/**
 * The adapter's counters, per definition name ({@link MailboxCounters}), since the resource adapter started. The
 * admin API hands snapshots to the console WAR, which publishes them as {@code imapra_*} metrics.
 */
public final class Telemetry {

    private final Clock clock;
    private final Map<String, MailboxCounters> mailboxes = new ConcurrentHashMap<>();

    public Telemetry() {
        this(Clock.systemUTC());
    }

    public Telemetry(Clock clock) {
        this.clock = clock;
    }

    /** The counters of the named definition. */
    public MailboxCounters mailbox(String definitionName) {
        return mailboxes.computeIfAbsent(definitionName == null ? "(unnamed)" : definitionName,
                n -> new MailboxCounters(n, clock));
    }

    /** Whether a token was asked for the named definition since start. */
    public boolean used(String definitionName) {
        MailboxCounters c = mailboxes.get(definitionName);
        return c != null && c.used();
    }

    /** The counters of {@code d} with its connection budget figures. */
    public MailboxTelemetry snapshot(MailboxDefinition d, ConnectionBudgets budgets) {
        return mailbox(d.name()).snapshot(budgets.inUse(d), budgets.max(d), budgets.waits(d),
                budgets.waitMillis(d));
    }
}
