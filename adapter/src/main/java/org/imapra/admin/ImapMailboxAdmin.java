package org.imapra.admin;

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
import org.imapra.ImapResourceAdapter;
import org.imapra.api.DefinitionException;
import org.imapra.api.DefinitionException.Reason;
import org.imapra.api.DefinitionInput;
import org.imapra.api.DefinitionView;
import org.imapra.api.LiveStatus;
import org.imapra.api.MailboxAdmin;
import org.imapra.api.MailboxSummary;
import org.imapra.api.PingReport;
import org.imapra.auth.MsalTokenSource;
import org.imapra.config.FileDefinitionStore;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.StoreException;
import org.imapra.config.StoredDefinition;
import org.imapra.imap.StagedPing;

/**
 * The admin console's entry point: create, change, delete and ping the named mailbox definitions of the resource
 * adapter it belongs to. Changes go to the adapter's store (persisted) and registry (used at once by
 * {@code getConnection(name)}: pooled connections of the old definition are retired).
 */
@AdministeredObject(adminObjectInterfaces = MailboxAdmin.class)
public class ImapMailboxAdmin implements MailboxAdmin, ResourceAdapterAssociation, Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ImapMailboxAdmin.class.getName());

    private transient ImapResourceAdapter ra;
    private transient Clock clock = Clock.systemUTC();

    @Override
    public ResourceAdapter getResourceAdapter() {
        return ra;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) {
        this.ra = (ImapResourceAdapter) ra;
    }

    private ImapResourceAdapter ra() {
        if (ra == null) {
            throw new IllegalStateException("this MailboxAdmin is not associated with the imapra resource adapter");
        }
        return ra;
    }

    private FileDefinitionStore store() throws DefinitionException {
        FileDefinitionStore s = ra().store();
        if (s == null) {
            throw new DefinitionException(Reason.STORAGE, "The definitions are unavailable: " + ra().storeProblem());
        }
        return s;
    }

    private AuditLog audit() throws DefinitionException {
        return new AuditLog(store().directory());
    }

    @Override
    public List<MailboxSummary> list() {
        List<MailboxSummary> out = new ArrayList<>();
        try {
            for (StoredDefinition s : store().loadAll().definitions()) {
                MailboxDefinition d = s.definition();
                out.add(new MailboxSummary(d.name(), d.userName(), d.tenantId(), d.cloud().name(),
                        ra().lastPings().get(d.name()), status(d.name())));
            }
        } catch (DefinitionException | IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return out;
    }

    @Override
    public Optional<DefinitionView> get(String name) {
        try {
            return stored(name).map(DefinitionInputs::view);
        } catch (DefinitionException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
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
        return DefinitionInputs.view(saved);
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
        return DefinitionInputs.view(saved);
    }

    private StoredDefinition save(MailboxDefinition d, long expectedVersion, boolean secretChanged, String actor)
            throws DefinitionException {
        try {
            Optional<MailboxDefinition> before = ra().registry().find(d.name());
            StoredDefinition saved = store().save(d, expectedVersion, secretChanged, actor);
            ra().registry().register(d);
            before.ifPresent(old -> ra().census().retire(old));
            ra().lastPings().remove(d.name());
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
        ra().registry().find(name).ifPresent(old -> ra().census().retire(old));
        ra().registry().unregister(name);
        ra().lastPings().remove(name);
        audit().record(clock.instant(), actor, "delete", name, expectedVersion, List.of("deleted"));
    }

    @Override
    public PingReport ping(String name) {
        PingReport report;
        try {
            Optional<MailboxDefinition> d = stored(name).map(StoredDefinition::definition)
                    .or(() -> ra().registry().find(name));
            report = d.isPresent() ? pinger().run(name, d.get().toBuilder())
                    : StagedPing.definitionFailed(name, "No definition named '" + name + "'", clock);
        } catch (DefinitionException e) {
            report = StagedPing.definitionFailed(name, e.getMessage(), clock);
        }
        ra().lastPings().put(name, report);
        return report;
    }

    @Override
    public PingReport ping(DefinitionInput input) {
        return pinger().run(input.getName() == null ? "(unsaved)" : input.getName(),
                DefinitionInputs.builder(input, null));
    }

    private StagedPing pinger() {
        return new StagedPing(new MsalTokenSource(clock), clock);
    }

    @Override
    public LiveStatus status(String name) {
        return new LiveStatus(ra().census().inUse(name), ra().census().idle(name), ra().activations(name));
    }
}
