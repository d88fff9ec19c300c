package org.imapra.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imapra.api.admin.LiveStatus;
import org.imapra.api.admin.MailboxHealth;
import org.imapra.api.admin.MailboxTelemetry;

/**
 * The readiness of one definition from what the adapter knows of it right now (no network): its live status, its
 * counters and its sign-in. DOWN with one reason per problem; UP with the age of the last delivery.
 */
final class HealthAssessment {

    /** Readiness goes DOWN this long before the credential expires. */
    static final Duration CREDENTIAL_WARNING = Duration.ofDays(7);
    /** A watcher is stuck when no cycle completed within twice its interval plus this. */
    static final Duration CYCLE_GRACE = Duration.ofSeconds(60);

    private HealthAssessment() {
    }

    /**
     * @param signIn null (APP_ONLY), "signed in as …" or "needs sign-in again: …"
     */
    static MailboxHealth assess(String name, LiveStatus status, MailboxTelemetry counters, String signIn,
                                boolean inUse, Instant now) {
        List<String> reasons = new ArrayList<>();
        Map<String, String> data = new LinkedHashMap<>();
        data.put("mailbox", name);
        MailboxTelemetry.Failure token = counters == null ? null : counters.lastTokenFailure();
        if (token != null) {
            reasons.add("the last token request failed (" + token.code() + ") at " + token.at() + ": "
                    + token.message());
            data.put("aadsts", token.code());
            data.put("tokenFailedAt", token.at().toString());
        }
        if (signIn != null && signIn.startsWith("needs sign-in")) {
            reasons.add("the definition " + signIn);
            data.put("signIn", signIn);
        }
        MailboxTelemetry.Failure connect = counters == null ? null : counters.lastConnectFailure();
        if (connect != null) {
            reasons.add("the last connect/AUTHENTICATE failed at " + connect.at() + ": " + connect.message());
            data.put("connectFailedAt", connect.at().toString());
        }
        if (status.throttledUntil() != null && status.throttledUntil().isAfter(now)) {
            reasons.add("Exchange Online throttled the mailbox until " + status.throttledUntil());
            data.put("throttledUntil", status.throttledUntil().toString());
        }
        for (LiveStatus.Activation a : status.activations()) {
            String stuck = stuck(a, now);
            if (stuck != null) {
                reasons.add(stuck);
                data.put("stuck." + a.folder(), a.lastCycle() == null ? "never" : a.lastCycle().toString());
            }
        }
        Instant expires = status.credentialExpires();
        if (expires != null) {
            data.put("credentialExpires", expires.toString());
            if (!expires.isAfter(now)) {
                reasons.add("the credential expired at " + expires);
            } else if (expires.isBefore(now.plus(CREDENTIAL_WARNING))) {
                reasons.add("the credential expires within 7 days, at " + expires);
            }
        }
        Instant last = lastDelivery(status);
        data.put("lastDeliveryAgeSeconds", last == null ? "never"
                : Long.toString(Math.max(0, Duration.between(last, now).toSeconds())));
        data.put("activations", Integer.toString(status.activations().size()));
        data.put("connectionsInUse", Integer.toString(status.connectionsInUse()));
        if (!reasons.isEmpty()) {
            data.put("reason", String.join("; ", reasons));
        }
        return new MailboxHealth(name, inUse, reasons.isEmpty(), reasons, data);
    }

    /**
     * Why the activation's watcher is stuck, or null: no search or IDLE cycle completed within twice its interval
     * (plus {@link #CYCLE_GRACE}) and no failure since that explains it.
     */
    static String stuck(LiveStatus.Activation a, Instant now) {
        Instant base = a.lastCycle() != null ? a.lastCycle() : a.since();
        if (base == null || a.cycleSeconds() <= 0) {
            return null;
        }
        Duration limit = Duration.ofSeconds(2 * a.cycleSeconds()).plus(CYCLE_GRACE);
        if (!base.plus(limit).isBefore(now)) {
            return null;
        }
        if (a.lastErrorAt() != null && a.lastErrorAt().isAfter(base)) {
            return null; // failing, not stuck: the failure is the reason
        }
        return "the watcher of folder " + a.folder() + " has completed no search or IDLE cycle since " + base
                + " (expected every " + a.cycleSeconds() + " s at most)";
    }

    private static Instant lastDelivery(LiveStatus status) {
        Instant last = null;
        for (LiveStatus.Activation a : status.activations()) {
            if (a.lastDelivery() != null && (last == null || a.lastDelivery().isAfter(last))) {
                last = a.lastDelivery();
            }
        }
        return last;
    }
}
