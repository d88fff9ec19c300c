package org.imapra.console.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.imapra.api.admin.LiveStatus;
import org.imapra.api.admin.MailboxAdmin;
import org.imapra.api.admin.MailboxHealth;
import org.imapra.api.admin.MailboxTelemetry;
import org.imapra.console.AdminAccess;

/**
 * What the readiness checks, the metrics and the console's badges read: the adapter's health, counters and live
 * status of every definition, through its admin API, taken at most once a second (a scrape reads many gauges).
 */
@ApplicationScoped
public class AdapterState {

    private static final long MAX_AGE_MILLIS = 1000;

    @Inject
    AdminAccess access;

    /** Shared by every instance (the CDI bean and the synthetic checks'): one adapter, one view of it. */
    private static volatile Snapshot snapshot;

    /** Set for one made outside CDI. */
    private MailboxAdmin fixed;

    /**
     * One outside CDI (for the synthetic readiness beans, which are not called where {@code java:app} names can be
     * looked up), reading {@code admin}.
     */
    static AdapterState of(MailboxAdmin admin) {
        AdapterState s = new AdapterState();
        s.fixed = admin;
        return s;
    }

    private MailboxAdmin admin() {
        return fixed != null ? fixed : access.admin();
    }

    /** The adapter's state at one moment. */
    public record Snapshot(long takenAt, Map<String, MailboxHealth> health, Map<String, MailboxTelemetry> counters,
                           Map<String, LiveStatus> status) {

        public Optional<MailboxTelemetry.Folder> folder(String mailbox, String folder) {
            MailboxTelemetry t = counters.get(mailbox);
            return t == null ? Optional.empty()
                    : t.folders().stream().filter(f -> f.folder().equals(folder)).findFirst();
        }
    }

    /** A snapshot at most a second old. */
    public Snapshot now() {
        Snapshot s = snapshot;
        long t = System.currentTimeMillis();
        if (s == null || t - s.takenAt() > MAX_AGE_MILLIS) {
            s = take(t);
            snapshot = s;
        }
        return s;
    }

    private Snapshot take(long t) {
        Map<String, MailboxHealth> health = new LinkedHashMap<>();
        Map<String, LiveStatus> status = new LinkedHashMap<>();
        for (MailboxHealth h : admin().health()) {
            health.put(h.name(), h);
            status.put(h.name(), admin().status(h.name()));
        }
        Map<String, MailboxTelemetry> counters = new LinkedHashMap<>();
        List<MailboxTelemetry> all = admin().telemetry();
        for (MailboxTelemetry m : all) {
            counters.put(m.mailbox(), m);
        }
        return new Snapshot(t, health, counters, status);
    }
}
