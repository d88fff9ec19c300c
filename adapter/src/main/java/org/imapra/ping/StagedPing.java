package org.imapra.ping;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.api.admin.PingReport;
import org.imapra.api.admin.PingStage;
import org.imapra.api.admin.PingStage.Status;
import org.imapra.auth.AccessToken;
import org.imapra.auth.TokenSource;
import org.imapra.config.DefinitionBuilder;
import org.imapra.config.InvalidDefinitionException;
import org.imapra.config.MailboxDefinition;
import org.imapra.imap.ImapHints;

/**
 * Checks a mailbox definition stage by stage and says, for each, what worked or what did not and what to do:
 * (1) definition, (2) authority metadata, (3) token, (4) token claims, (5) TCP + TLS, (6) CAPABILITY,
 * (7) AUTHENTICATE, (8) SELECT INBOX. After a failure the later stages are SKIPPED. Usable without a container.
 */
public final class StagedPing {

    private static final Logger LOG = Logger.getLogger(StagedPing.class.getName());
    static final List<String> STAGES = List.of("Definition", "Authority", "Token", "Token claims", "TLS connection",
            "Capabilities", "Authenticate", "Mailbox");

    private final TokenSource tokens;
    private final Clock clock;
    private final org.imapra.config.DefinitionStore store;
    private final ImapGate gate;

    public StagedPing(TokenSource tokens, Clock clock) {
        this(tokens, clock, null, ImapGate.OPEN);
    }

    /**
     * With the store holding the sign-ins of DELEGATED definitions, and the resource adapter's gate (throttling,
     * connection budget) around the IMAP connection.
     */
    public StagedPing(TokenSource tokens, Clock clock, org.imapra.config.DefinitionStore store, ImapGate gate) {
        this.tokens = tokens;
        this.clock = clock;
        this.store = store;
        this.gate = gate;
    }

    /** Runs every stage; never returns null or an empty report. */
    public PingReport run(String label, DefinitionBuilder definition) {
        Instant start = clock.instant();
        Run run = new Run();
        MailboxDefinition d = run.stage("Definition", () -> {
            MailboxDefinition built = definition.build();
            return new Outcome<>(built, Status.OK, built.describe() + "; token endpoint " + built.tokenEndpoint(),
                    null);
        });
        AccessToken token = null;
        if (d != null) {
            run.stage("Authority", () -> PingChecks.authority(d));
            token = run.stage("Token", () -> PingChecks.token(d, tokens, store, clock));
            AccessToken t = token;
            if (t != null) {
                run.stage("Token claims", () -> PingChecks.claims(t, d));
            }
            if (t != null && !run.failed) {
                ImapStages imap = new ImapStages(d, t);
                ImapGate.Slot slot = null;
                try {
                    slot = run.stage("TLS connection", () -> gatedConnect(d, imap));
                    run.stage("Capabilities", imap::capabilities);
                    run.stage("Authenticate", imap::authenticate);
                    run.stage("Mailbox", imap::selectInbox);
                    if (slot != null && run.failed) {
                        gate.refused(d, run.failure);
                    }
                } finally {
                    imap.close();
                    if (slot != null) {
                        slot.close();
                    }
                }
            }
        }
        return new PingReport(label, start, Duration.between(start, clock.instant()), run.complete());
    }

    /** Connects once the gate lets the ping: the slot stays taken until the ping's connection is closed. */
    private Outcome<ImapGate.Slot> gatedConnect(MailboxDefinition d, ImapStages imap) throws Exception {
        ImapGate.Slot slot = gate.enter(d);
        try {
            Outcome<Void> o = imap.connect();
            return new Outcome<>(slot, o.status(), o.details(), o.hint());
        } catch (Exception | Error e) {
            slot.close();
            throw e;
        }
    }

    /** A report whose first stage failed for a reason found before any check (e.g. an unknown name). */
    public static PingReport definitionFailed(String label, String why, Clock clock) {
        List<PingStage> stages = new ArrayList<>();
        stages.add(new PingStage(STAGES.get(0), Status.FAILED, Duration.ZERO, why, null));
        for (int i = 1; i < STAGES.size(); i++) {
            stages.add(new PingStage(STAGES.get(i), Status.SKIPPED, Duration.ZERO, "not run: an earlier stage failed",
                    null));
        }
        return new PingReport(label, clock.instant(), Duration.ZERO, stages);
    }

    /** A stage's result: the value for later stages (or null), and what to show. */
    record Outcome<T>(T value, Status status, String details, String hint) {
    }

    @FunctionalInterface
    interface StageBody<T> {
        Outcome<T> run() throws Exception;
    }

    private final class Run {
        private final List<PingStage> done = new ArrayList<>();
        private boolean failed;
        /** The failed stage's details (the server's words, for an IMAP stage). */
        private String failure;

        <T> T stage(String name, StageBody<T> body) {
            if (failed) {
                return null;
            }
            Instant t0 = clock.instant();
            Outcome<T> o;
            try {
                o = body.run();
            } catch (InvalidDefinitionException e) {
                o = new Outcome<>(null, Status.FAILED, e.getMessage(), "Correct the properties named above");
            } catch (Exception e) {
                LOG.log(Level.FINE, "Ping stage " + name + " failed", e);
                o = new Outcome<>(null, Status.FAILED, PingChecks.describe(e), ImapHints.hint(e.getMessage(), e));
            }
            done.add(new PingStage(name, o.status(), Duration.between(t0, clock.instant()), o.details(), o.hint()));
            failed = o.status() == Status.FAILED;
            failure = failed ? o.details() : null;
            return o.value();
        }

        List<PingStage> complete() {
            for (int i = done.size(); i < STAGES.size(); i++) {
                done.add(new PingStage(STAGES.get(i), Status.SKIPPED, Duration.ZERO,
                        "not run: an earlier stage failed", null));
            }
            return done;
        }
    }
}
