package org.imapra.console.health;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.api.admin.LiveStatus;
import org.imapra.api.admin.MailboxHealth;
import org.imapra.api.admin.MailboxTelemetry;

/**
 * The definitions list's health column ({@code #{health.badge(name)}}): the same data as {@code /health/ready}, the
 * last delivery, throttled until, the credential's expiry and the last hour's chart.
 */
@Named("health")
@RequestScoped
public class HealthView {

    private static final Logger LOG = Logger.getLogger(HealthView.class.getName());

    @Inject
    AdapterState state;
    /** Unresolvable on a server without MicroProfile Metrics. */
    @Inject
    jakarta.enterprise.inject.Instance<MetricsPublisher> metrics;

    private AdapterState.Snapshot snapshot;

    private AdapterState.Snapshot snapshot() {
        if (snapshot == null) {
            try {
                snapshot = state.now();
                if (metrics.isResolvable()) {
                    metrics.get().refresh();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The health of the definitions cannot be read", e);
                snapshot = new AdapterState.Snapshot(0, java.util.Map.of(), java.util.Map.of(), java.util.Map.of());
            }
        }
        return snapshot;
    }

    private MailboxHealth of(String name) {
        return snapshot().health().get(name);
    }

    /** "UP", "DOWN", "IDLE" (not in use) or "UNKNOWN". */
    public String badge(String name) {
        MailboxHealth h = of(name);
        if (h == null) {
            return "UNKNOWN";
        }
        return !h.up() ? "DOWN" : h.inUse() ? "UP" : "IDLE";
    }

    /** CSS class of the badge. */
    public String badgeClass(String name) {
        return switch (badge(name)) {
            case "UP" -> "status-ok";
            case "DOWN" -> "status-failed";
            default -> "status-none";
        };
    }

    /** Why it is DOWN, or empty. */
    public List<String> reasons(String name) {
        MailboxHealth h = of(name);
        return h == null ? List.of() : h.reasons();
    }

    public Instant lastDelivery(String name) {
        LiveStatus s = snapshot().status().get(name);
        Instant last = null;
        for (LiveStatus.Activation a : s == null ? List.<LiveStatus.Activation>of() : s.activations()) {
            if (a.lastDelivery() != null && (last == null || a.lastDelivery().isAfter(last))) {
                last = a.lastDelivery();
            }
        }
        return last;
    }

    public Instant throttledUntil(String name) {
        LiveStatus s = snapshot().status().get(name);
        return s == null ? null : s.throttledUntil();
    }

    public Instant credentialExpires(String name) {
        LiveStatus s = snapshot().status().get(name);
        return s == null ? null : s.credentialExpires();
    }

    /** The last hour's deliveries and failed attempts of all the definition's folders, as inline SVG. */
    public String chart(String name) {
        List<Long> delivered = zeros();
        List<Long> failed = zeros();
        MailboxTelemetry t = snapshot().counters().get(name);
        if (t != null) {
            for (MailboxTelemetry.Folder f : t.folders()) {
                add(delivered, f.deliveriesPerMinute());
                add(failed, f.failuresPerMinute());
            }
        }
        return Chart.svg(delivered, failed);
    }

    private static List<Long> zeros() {
        List<Long> z = new ArrayList<>(60);
        for (int i = 0; i < 60; i++) {
            z.add(0L);
        }
        return z;
    }

    private static void add(List<Long> sum, List<Long> more) {
        for (int i = 0; i < sum.size() && i < more.size(); i++) {
            sum.set(i, sum.get(i) + more.get(i));
        }
    }
}
