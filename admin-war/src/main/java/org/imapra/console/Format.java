package org.imapra.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.imapra.api.admin.LiveStatus;
import org.imapra.api.admin.PingReport;
import org.imapra.api.admin.PingStage;

/** Formatting for the pages ({@code #{fmt.instant(x)}}): times in the server's zone, durations, states. */
@Named("fmt")
@ApplicationScoped
public class Format {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    public String instant(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    public String duration(Duration d) {
        if (d == null) {
            return "";
        }
        long ms = d.toMillis();
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** CSS class of a stage status or ping outcome: status-ok, status-warning, status-failed, status-skipped. */
    public String statusClass(Object status) {
        return status == null ? "status-none" : "status-" + status.toString().toLowerCase(Locale.ROOT);
    }

    /** OK, WARNING or FAILED for a whole report. */
    public String outcome(PingReport r) {
        if (r == null) {
            return "";
        }
        if (!r.ok()) {
            return "FAILED";
        }
        return r.stages().stream().anyMatch(s -> s.status() == PingStage.Status.WARNING) ? "WARNING" : "OK";
    }

    /** "2 in use, 1 idle". */
    public String pool(LiveStatus s) {
        return s == null ? "" : s.connectionsInUse() + " in use, " + s.connectionsIdle() + " idle";
    }

    /**
     * "none", "1 listener" or "2 listeners, 1 failing"; in a cluster, with who consumes each folder and since when
     * ("; INBOX consumed by B (127.0.0.1:5901) since 2024-01-01 10:00:00 UTC").
     */
    public String inbound(LiveStatus s) {
        List<LiveStatus.Activation> a = s == null || s.activations() == null ? List.of() : s.activations();
        if (a.isEmpty()) {
            return "none";
        }
        long failing = a.stream().filter(Format::failing).count();
        StringBuilder sb = new StringBuilder(a.size() + (a.size() == 1 ? " listener" : " listeners")
                + (failing > 0 ? ", " + failing + " failing" : ""));
        for (LiveStatus.Activation x : a) {
            if (x.holder() != null) {
                sb.append("; ").append(x.folder()).append(" consumed by ").append(x.holder())
                        .append(x.holderSince() == null ? "" : " since " + instant(x.holderSince()));
            }
        }
        return sb.toString();
    }

    /** Its last error came after its last delivery. */
    private static boolean failing(LiveStatus.Activation a) {
        return a.lastError() != null && (a.lastDelivery() == null || a.lastErrorAt() == null
                || a.lastErrorAt().isAfter(a.lastDelivery()));
    }
}
