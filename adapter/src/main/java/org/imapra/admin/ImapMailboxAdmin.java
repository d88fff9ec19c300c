package org.imapra.admin;

import jakarta.resource.Referenceable;
import jakarta.resource.spi.AdministeredObject;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import javax.naming.Reference;
import org.imapra.api.admin.AuthorizationStart;
import org.imapra.api.admin.DefinitionException;
import org.imapra.core.AdapterContext;
import org.imapra.core.PendingSignIns;
import org.imapra.api.admin.DefinitionException.Reason;
import org.imapra.api.admin.DefinitionInput;
import org.imapra.api.admin.DefinitionView;
import org.imapra.api.admin.LiveStatus;
import org.imapra.api.admin.MailboxAdmin;
import org.imapra.api.admin.MailboxHealth;
import org.imapra.api.admin.MailboxTelemetry;
import org.imapra.api.admin.MailboxSummary;
import org.imapra.api.admin.PingReport;
import org.imapra.auth.MsalTokenSource;
import org.imapra.config.DefinitionStore;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.StoreException;
import org.imapra.config.StoredDefinition;
import org.imapra.ping.StagedPing;

/**
 * The admin console's entry point: create, change, delete and ping the named mailbox definitions of the resource
 * adapter it belongs to. Changes go to the adapter's store (persisted) and registry (used at once by
 * {@code getConnection(name)}: pooled connections of the old definition are retired).
 */
@AdministeredObject(adminObjectInterfaces = MailboxAdmin.class)
public class ImapMailboxAdmin implements MailboxAdmin, ResourceAdapterAssociation, Referenceable, Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ImapMailboxAdmin.class.getName());

    private transient ResourceAdapter resourceAdapter;
    private transient Clock clock = Clock.systemUTC();
    /** Set by servers that bind this object by reference (JCA 13.4.2.3; IronJacamar on WildFly checks for it). */
    private transient Reference reference;

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) {
        this.resourceAdapter = ra;
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    /** The services of the resource adapter this object belongs to. */
    private AdapterContext context() {
        AdapterContext c = AdapterContext.of(resourceAdapter);
        if (c == null) {
            throw new IllegalStateException("this MailboxAdmin is not associated with the imapra resource adapter");
        }
        return c;
    }

    private DefinitionStore store() throws DefinitionException {
        DefinitionStore s = context().store();
        if (s == null) {
            throw new DefinitionException(Reason.STORAGE, "The definitions are unavailable: "
                    + context().storeProblem());
        }
        return s;
    }

    private AuditLog audit() throws DefinitionException {
        return new AuditLog(store());
    }

    @Override
    public List<MailboxSummary> list() {
        List<MailboxSummary> out = new ArrayList<>();
        try {
            for (StoredDefinition s : store().loadAll().definitions()) {
                MailboxDefinition d = s.definition();
                out.add(new MailboxSummary(d.name(), d.userName(), d.tenantId(), d.cloud().name(),
                        context().lastPings().get(d.name()), status(d.name()), signInSummary(s),
                        d.credentialProblem().orElse(null)));
            }
        } catch (DefinitionException | IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return out;
    }

    @Override
    public Optional<DefinitionView> get(String name) {
        try {
            Optional<StoredDefinition> s = stored(name);
            return s.isEmpty() ? Optional.empty() : Optional.of(view(s.get()));
        } catch (DefinitionException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private DefinitionView view(StoredDefinition s) {
        return DefinitionInputs.view(s, signIn(s));
    }

    private org.imapra.config.SignInState signIn(StoredDefinition s) {
        if (!s.definition().delegated()) {
            return null;
        }
        try {
            return store().signInState(s.definition().name()).orElse(null);
        } catch (StoreException | DefinitionException e) {
            LOG.warning("The sign-in of '" + s.definition().name() + "' cannot be read: " + e.getMessage());
            return null;
        }
    }

    private String signInSummary(StoredDefinition s) {
        if (!s.definition().delegated()) {
            return null;
        }
        DefinitionView v = view(s);
        return v.needsSignIn() != null ? "needs sign-in again: " + v.needsSignIn() : "signed in as " + v.signedInAs();
    }

    @Override
    public AuthorizationStart startAuthorization(String name, String redirectUri, String actor)
            throws DefinitionException {
        return signIns().start(name, delegatedDefinition(name), redirectUri, actor);
    }

    @Override
    public DefinitionView completeAuthorization(String name, String state, String code, String actor)
            throws DefinitionException {
        SignInFlow flow = signIns();
        PendingSignIns.Pending p = flow.take(name, state);
        MailboxDefinition d = delegatedDefinition(name);
        MsalTokenSource.SignInResult r = flow.redeem(name, d, p, code);
        java.time.Instant now = clock.instant();
        try {
            store().saveSignInState(name, new org.imapra.config.SignInState(d.userName(), d.tenantId(),
                    d.clientId(), r.username(), r.homeAccountId(), now, r.serializedCache(), null, null));
        } catch (StoreException e) {
            throw new DefinitionException(Reason.STORAGE, e.getMessage(), null, e);
        }
        context().lifecycle().changed(name, d, d);
        StoredDefinition s = stored(name).orElseThrow(() -> new DefinitionException(Reason.NOT_FOUND,
                "Definition '" + name + "' does not exist"));
        audit().record(now, actor, "sign-in", name, s.version(), List.of("signed in as " + r.username()));
        LOG.info(() -> "Mailbox '" + name + "' connected: signed in as " + r.username() + " (by " + actor + ")");
        return view(s);
    }

    private SignInFlow signIns() {
        return new SignInFlow(context().pendingSignIns(), clock);
    }

    private MailboxDefinition delegatedDefinition(String name) throws DefinitionException {
        MailboxDefinition d = stored(name).map(StoredDefinition::definition).orElseThrow(() ->
                new DefinitionException(Reason.NOT_FOUND, "Definition '" + name + "' does not exist"));
        if (!d.delegated()) {
            throw new DefinitionException(Reason.SIGN_IN, "Definition '" + name + "' uses authMode "
                    + d.authMode() + ": only DELEGATED definitions are connected by signing in");
        }
        return d;
    }

    private Optional<StoredDefinition> stored(String name) throws DefinitionException {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            return Optional.empty();
        }
        try {
            return store().get(name);
        } catch (StoreException e) {
            throw new DefinitionException(Reason.STORAGE, e.getMessage(), null, e);
        }
    }

    @Override
    public DefinitionView create(DefinitionInput input, String actor) throws DefinitionException {
        MailboxDefinition d = DefinitionInputs.build(input, null);
        if (stored(d.name()).isPresent()) {
            throw new DefinitionException(Reason.ALREADY_EXISTS, "A definition named '" + d.name()
                    + "' already exists");
        }
        StoredDefinition saved = save(d, 0, true, actor);
        audit().record(saved.updatedAt(), actor, "create", d.name(), saved.version(), List.of("created"));
        return view(saved);
    }

    @Override
    public DefinitionView update(String name, long expectedVersion, DefinitionInput input, String actor)
            throws DefinitionException {
        StoredDefinition current = stored(name).orElseThrow(() -> new DefinitionException(Reason.NOT_FOUND,
                "Definition '" + name + "' does not exist (deleted by someone else?)"));
        if (input.getName() != null && !input.getName().isBlank() && !input.getName().strip().equals(name)) {
            throw DefinitionInputs.invalid(List.of(new org.imapra.config.Problem("name",
                    "name cannot be changed: create a new definition and delete this one")));
        }
        input.setName(name);
        MailboxDefinition d = DefinitionInputs.build(input, current.definition());
        StoredDefinition saved = save(d, expectedVersion, DefinitionInputs.secretChanged(current.definition(), d),
                actor);
        audit().record(saved.updatedAt(), actor, "update", name, saved.version(),
                DefinitionInputs.changes(current.definition(), d));
        return view(saved);
    }

    private StoredDefinition save(MailboxDefinition d, long expectedVersion, boolean secretChanged, String actor)
            throws DefinitionException {
        try {
            MailboxDefinition before = context().registry().find(d.name()).orElse(null);
            StoredDefinition saved = store().save(d, expectedVersion, secretChanged, actor);
            context().lifecycle().changed(d.name(), before, d);
            LOG.info(() -> "Mailbox definition '" + d.name() + "' saved by " + actor + " (version "
                    + saved.version() + ")");
            return saved;
        } catch (StoreException e) {
            throw new DefinitionException(e.isConflict() ? Reason.CONFLICT : Reason.STORAGE, e.getMessage(), null, e);
        }
    }

    @Override
    public void delete(String name, long expectedVersion, String actor) throws DefinitionException {
        if (stored(name).isEmpty()) {
            throw new DefinitionException(Reason.NOT_FOUND, "Definition '" + name + "' does not exist");
        }
        try {
            store().delete(name, expectedVersion);
        } catch (StoreException e) {
            throw new DefinitionException(e.isConflict() ? Reason.CONFLICT : Reason.STORAGE, e.getMessage(), null, e);
        }
        context().lifecycle().changed(name, context().registry().find(name).orElse(null), null);
        audit().record(clock.instant(), actor, "delete", name, expectedVersion, List.of("deleted"));
    }

    @Override
    public PingReport ping(String name) {
        PingReport report;
        try {
            Optional<MailboxDefinition> d = stored(name).map(StoredDefinition::definition)
                    .or(() -> context().registry().find(name));
            report = d.isPresent() ? pinger().run(name, d.get().toBuilder())
                    : StagedPing.definitionFailed(name, "No definition named '" + name + "'", clock);
        } catch (DefinitionException e) {
            report = StagedPing.definitionFailed(name, e.getMessage(), clock);
        }
        context().lastPings().put(name, report);
        return report;
    }

    @Override
    public PingReport ping(DefinitionInput input) {
        return pinger().run(input.getName() == null ? "(unsaved)" : input.getName(),
                DefinitionInputs.builder(input, null));
    }

    private StagedPing pinger() {
        return new StagedPing(new MsalTokenSource(clock), clock, context().store(), new PingGate(context()));
    }

    @Override
    public List<MailboxHealth> health() {
        java.time.Instant now = clock.instant();
        List<MailboxHealth> out = new ArrayList<>();
        try {
            for (StoredDefinition s : store().loadAll().definitions()) {
                MailboxDefinition d = s.definition();
                LiveStatus st = status(d.name());
                boolean inUse = !st.activations().isEmpty() || st.connectionsInUse() + st.connectionsIdle() > 0
                        || context().telemetry().used(d.name());
                out.add(HealthAssessment.assess(d.name(), st, context().telemetry().snapshot(d, context().budgets()),
                        signInSummary(s), inUse, now));
            }
        } catch (DefinitionException | IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return out;
    }

    @Override
    public List<MailboxTelemetry> telemetry() {
        List<MailboxTelemetry> out = new ArrayList<>();
        for (String name : context().registry().names()) {
            context().registry().find(name).ifPresent(d ->
                    out.add(context().telemetry().snapshot(d, context().budgets())));
        }
        return out;
    }

    @Override
    public LiveStatus status(String name) {
        AdapterContext c = context();
        java.time.Instant throttledUntil = c.registry().find(name).map(d -> c.throttles().throttledUntil(d))
                .orElse(null);
        org.imapra.auth.TokenRequest used = c.registry().find(name)
                .map(d -> org.imapra.config.DefinitionTokens.of(d, c.store()))
                .map(r -> r.with(c.rotatingTokens().inUse(r))).orElse(null);
        return new LiveStatus(c.census().inUse(name), c.census().idle(name), c.activations().statuses(name),
                throttledUntil, used == null ? null : org.imapra.auth.CredentialExpiry.of(used),
                used == null ? null : used.credential().property());
    }
}
