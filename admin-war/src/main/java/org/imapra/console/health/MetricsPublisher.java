package org.imapra.console.health;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.imapra.api.admin.LiveStatus;
import org.imapra.api.admin.MailboxHealth;
import org.imapra.api.admin.MailboxTelemetry;

/**
 * Publishes the adapter's counters ({@link AdapterState}) as {@code imapra_*} gauges in the application's metric
 * registry, tagged {@code mailbox} (the definition name) and {@code folder}, and the others a metric needs
 * ({@code code}, {@code command}, {@code le}). The adapter keeps the counts; a gauge reads them at scrape time. New
 * definitions, folders, AADSTS codes and command kinds get their gauges within 10 s (and whenever the console's list
 * is shown). The README lists every metric.
 */
@ApplicationScoped
public class MetricsPublisher {

    private static final Logger LOG = Logger.getLogger(MetricsPublisher.class.getName());

    @Inject
    MetricRegistry registry;
    @Inject
    AdapterState state;
    @Resource
    ManagedScheduledExecutorService scheduler;

    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile ScheduledFuture<?> rescan;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        refresh();
        if (scheduler != null) {
            rescan = scheduler.scheduleWithFixedDelay(this::refresh, 10, 10, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void stop() {
        ScheduledFuture<?> r = rescan;
        if (r != null) {
            r.cancel(false);
        }
    }

    /** Registers the gauges of what appeared since the last call. Never throws. */
    public void refresh() {
        try {
            AdapterState.Snapshot s = state.now();
            for (MailboxHealth h : s.health().values()) {
                mailbox(h.name());
            }
            for (MailboxTelemetry t : s.counters().values()) {
                mailbox(t.mailbox());
                String m = t.mailbox();
                for (String code : t.tokenFailures().keySet()) {
                    gauge("imapra_token_failures_total", "Failed token requests, by AADSTS code", m, "code", code,
                            x -> x.counters().get(m).tokenFailures().getOrDefault(code, 0L));
                }
                for (String kind : t.commands().keySet()) {
                    gauge("imapra_imap_commands_total", "IMAP commands sent, by kind", m, "command", kind,
                            x -> x.counters().get(m).commands().getOrDefault(kind, 0L));
                    gauge("imapra_imap_command_failures_total", "IMAP commands that failed, by kind", m, "command",
                            kind, x -> x.counters().get(m).commandFailures().getOrDefault(kind, 0L));
                }
                for (MailboxTelemetry.Folder f : t.folders()) {
                    folder(m, f.folder());
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "The imapra metrics cannot be refreshed now", e);
        }
    }

    private void mailbox(String m) {
        gauge("imapra_mailbox_up", "1 when the definition is ready (as /health/ready), else 0", m, null, null,
                x -> x.health().containsKey(m) && x.health().get(m).up() ? 1 : 0);
        counter(m, "imapra_token_requests_total", "Token requests to the token endpoint", t -> t.tokenRequests());
        counter(m, "imapra_token_lifetime_left_seconds", "Seconds until the last token obtained expires",
                t -> t.tokenExpiresAt() == null ? 0
                        : Math.max(0, t.tokenExpiresAt().getEpochSecond() - System.currentTimeMillis() / 1000));
        counter(m, "imapra_connects_total", "IMAP connections opened (connect, AUTHENTICATE, SELECT)",
                t -> t.connects());
        counter(m, "imapra_connect_failures_total", "IMAP connections that failed to open", t -> t.connectFailures());
        counter(m, "imapra_mailbox_connections", "IMAP connections open on the mailbox in this adapter",
                t -> t.budgetInUse());
        counter(m, "imapra_mailbox_connection_budget", "The mailbox's budget (maxConnectionsPerMailbox)",
                t -> t.budgetMax());
        counter(m, "imapra_pool_waits_total", "Connects that waited for a free slot of the mailbox's budget",
                t -> t.budgetWaits());
        counter(m, "imapra_pool_wait_seconds_total", "Time connects waited for a free slot of the budget",
                t -> t.budgetWaitMillis() / 1000.0);
        counter(m, "imapra_throttled_seconds_total", "Time Exchange Online asked not to be contacted",
                t -> t.throttledMillis() / 1000.0);
        gauge("imapra_pool_connections_in_use", "Pooled connections held by applications", m, null, null,
                x -> status(x, m).connectionsInUse());
        gauge("imapra_pool_connections_idle", "Pooled connections idle in a pool", m, null, null,
                x -> status(x, m).connectionsIdle());
    }

    private static LiveStatus status(AdapterState.Snapshot x, String m) {
        LiveStatus s = x.status().get(m);
        return s == null ? new LiveStatus(0, 0, List.of()) : s;
    }

    private void folder(String m, String folder) {
        folderGauge(m, folder, "imapra_deliveries_total", "Messages delivered (onMessage returned)",
                f -> f.deliveries());
        folderGauge(m, folder, "imapra_delivery_failed_attempts_total", "Deliveries whose onMessage threw",
                f -> f.failedAttempts());
        folderGauge(m, folder, "imapra_poison_moves_total", "Messages moved to errorFolder after failing",
                f -> f.poisonMoves());
        folderGauge(m, folder, "imapra_redeliveries_total", "Messages delivered after a failed attempt",
                f -> f.redeliveries());
        folderGauge(m, folder, "imapra_delivery_latency_seconds_count", "Deliveries with a known arrival",
                f -> f.latencyBuckets().get(f.latencyBuckets().size() - 1));
        folderGauge(m, folder, "imapra_delivery_latency_seconds_sum", "Sum of arrival → onMessage, seconds",
                f -> f.latencySeconds());
        List<Double> bounds = MailboxTelemetry.LATENCY_BOUNDS;
        for (int i = 0; i <= bounds.size(); i++) {
            int b = i;
            String le = i == bounds.size() ? "+Inf" : Double.toString(bounds.get(i));
            register("imapra_delivery_latency_seconds_bucket", "Deliveries with arrival → onMessage up to le seconds",
                    x -> x.folder(m, folder).map(f -> (double) f.latencyBuckets().get(b)).orElse(0.0),
                    new Tag("mailbox", m), new Tag("folder", folder), new Tag("le", le));
        }
    }

    private void counter(String m, String name, String help, ToDoubleFunction<MailboxTelemetry> value) {
        gauge(name, help, m, null, null, x -> {
            MailboxTelemetry t = x.counters().get(m);
            return t == null ? 0 : value.applyAsDouble(t);
        });
    }

    private void folderGauge(String m, String folder, String name, String help,
                             ToDoubleFunction<MailboxTelemetry.Folder> value) {
        register(name, help, x -> x.folder(m, folder).map(value::applyAsDouble).orElse(0.0),
                new Tag("mailbox", m), new Tag("folder", folder));
    }

    private void gauge(String name, String help, String m, String tag, String tagValue,
                       ToDoubleFunction<AdapterState.Snapshot> value) {
        if (tag == null) {
            register(name, help, value, new Tag("mailbox", m));
        } else {
            register(name, help, value, new Tag("mailbox", m), new Tag(tag, tagValue));
        }
    }

    private void register(String name, String help, ToDoubleFunction<AdapterState.Snapshot> value, Tag... tags) {
        StringBuilder key = new StringBuilder(name);
        for (Tag t : tags) {
            key.append(' ').append(t.getTagName()).append('=').append(t.getTagValue());
        }
        if (!registered.add(key.toString())) {
            return;
        }
        Metadata md = Metadata.builder().withName(name).withDescription(help).build();
        registry.gauge(md, () -> {
            try {
                return value.applyAsDouble(state.now());
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }, tags);
    }
}
