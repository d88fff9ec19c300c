package org.imapra.outbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;
import javax.security.auth.Subject;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.ImapException;
import org.imapra.api.ImapThrottledException;
import org.imapra.auth.AccessToken;
import org.imapra.auth.TokenException;
import org.imapra.config.DefinitionTokens;
import org.imapra.config.InvalidDefinitionException;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.MailboxProperties;
import org.imapra.config.MailboxRegistry;
import org.imapra.config.Problem;
import org.imapra.core.AdapterContext;
import org.imapra.core.ConnectionBudgets;
import org.imapra.core.ConnectionCensus;
import org.imapra.core.MailboxThrottles;
import org.imapra.imap.MailboxSession;

/**
 * Creates pooled IMAP connections for one mailbox definition (its config properties), and for named definitions
 * ({@code getConnection("support")}). Works in a container and without one:
 * {@code new ImapManagedConnectionFactory()}, setters, {@link #createConnectionFactory()}.
 */
@ConnectionDefinition(
        connectionFactory = ImapConnectionFactory.class,
        connectionFactoryImpl = ImapConnectionFactoryImpl.class,
        connection = ImapConnection.class,
        connectionImpl = ImapConnectionImpl.class)
public class ImapManagedConnectionFactory extends MailboxProperties
        implements ManagedConnectionFactory, ValidatingManagedConnectionFactory, ResourceAdapterAssociation {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ImapManagedConnectionFactory.class.getName());

    private String mailboxName;

    private transient ResourceAdapter resourceAdapter;
    private transient AdapterContext standalone;
    private transient PrintWriter logWriter;

    public String getMailboxName() {
        return mailboxName;
    }

    @ConfigProperty(description = "Name applications and MDBs use for this factory's mailbox definition "
            + "(getConnection(\"support\"), mailbox=support). Optional.")
    public void setMailboxName(String mailboxName) {
        this.mailboxName = mailboxName == null || mailboxName.isBlank() ? null : mailboxName.strip();
        changed();
    }

    @Override
    protected String definitionName() {
        return mailboxName;
    }

    @Override
    public Object createConnectionFactory(ConnectionManager cm) throws ResourceException {
        MailboxDefinition d = validated();
        if (d != null && d.name() != null) {
            registry().register(d);
        }
        return new ImapConnectionFactoryImpl(this, cm);
    }

    /** Non-managed use: a factory with its own small pool (8 connections, 30 s wait). */
    @Override
    public Object createConnectionFactory() throws ResourceException {
        return createConnectionFactory(new NonManagedConnectionManager(8, 30_000));
    }

    /** The factory's own definition, or null when it has none (only named definitions). */
    private MailboxDefinition validated() throws InvalidPropertyException {
        try {
            return defaultDefinition();
        } catch (InvalidDefinitionException e) {
            // the definition's "name" is this factory's mailboxName: say so
            InvalidDefinitionException named = new InvalidDefinitionException("Connection factory"
                    + (mailboxName == null ? "" : " '" + mailboxName + "'"), e.problems().stream()
                    .map(p -> p.property().equals("name") ? new Problem("mailboxName",
                            p.message().replaceFirst("^name ", "mailboxName ")) : p).toList());
            LOG.severe(named.getMessage());
            throw new InvalidPropertyException(named.getMessage(), named);
        }
    }

    /** The definition for {@code getConnection()}; an ImapException when the factory has none of its own. */
    MailboxDefinition requireDefault() throws ResourceException {
        MailboxDefinition d = validated();
        if (d == null) {
            throw new ImapException("This connection factory has no mailbox of its own (set userName, tenantId, "
                    + "clientId and a credential), so use getConnection(name); known definitions: "
                    + registry().names());
        }
        return d;
    }

    /** The definition registered as {@code name}. */
    MailboxDefinition resolve(String name) throws ResourceException {
        if (name == null || name.isBlank()) {
            throw new ImapException("a mailbox definition name is required");
        }
        MailboxDefinition own = validated();
        if (own != null && name.equals(own.name())) {
            return own;
        }
        return registry().find(name).orElseThrow(() -> new ImapException("No mailbox definition named '" + name
                + "'; known definitions: " + registry().names()));
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo cri)
            throws ResourceException {
        MailboxDefinition d = cri instanceof ImapConnectionRequestInfo r ? r.definition() : requireDefault();
        return new ImapManagedConnection(this, openSession(d), Clock.systemUTC());
    }

    /** A fresh physical connection, authenticated with a token from the shared cache. */
    MailboxSession openSession(MailboxDefinition d) throws ImapException {
        MailboxThrottles throttles = context().throttles();
        throttles.check(d, "AUTHENTICATE " + d.saslMechanism());
        AccessToken token;
        org.imapra.core.MailboxCounters counters = context().telemetry().mailbox(d.name());
        try {
            token = context().rotatingTokens().get(DefinitionTokens.of(d, context().store()));
            counters.tokenObtained(token);
        } catch (TokenException e) {
            counters.tokenFailed(e);
            throw TokenRequests.toImapException(d, e);
        }
        ConnectionBudgets.Slot slot = context().budgets().take(d, d.connectTimeoutMillis());
        try {
            MailboxSession s = MailboxSession.open(d, token, slot::close);
            counters.connected();
            return s;
        } catch (ImapThrottledException e) {
            slot.close();
            counters.connectFailed(e);
            throw throttles.record(d, e);
        } catch (ImapException | RuntimeException e) {
            slot.close();
            counters.connectFailed(e);
            throw e;
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo cri)
            throws ResourceException {
        MailboxDefinition wanted = cri instanceof ImapConnectionRequestInfo r ? r.definition() : requireDefault();
        for (Object o : candidates) {
            if (o instanceof ImapManagedConnection mc && mc.usable() && mc.definition().equals(wanted)) {
                return mc;
            }
        }
        return null;
    }

    /** Connections within their token's retire margin, or that do not answer NOOP. */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Set getInvalidConnections(Set connections) {
        Set invalid = new HashSet<>();
        for (Object o : connections) {
            if (o instanceof ImapManagedConnection mc && (!mc.usable() || !mc.ping())) {
                invalid.add(mc);
            }
        }
        return invalid;
    }

    /**
     * The services shared with the rest of the resource adapter; without one (no resource adapter, or not imapra's),
     * this factory's own: its own token cache, registry and census.
     */
    AdapterContext context() {
        AdapterContext shared = AdapterContext.of(resourceAdapter);
        if (shared != null) {
            return shared;
        }
        synchronized (this) {
            if (standalone == null) {
                standalone = AdapterContext.standalone();
            }
            return standalone;
        }
    }

    ConnectionCensus census() {
        return context().census();
    }

    MailboxRegistry registry() {
        return context().registry();
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) {
        this.resourceAdapter = ra;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImapManagedConnectionFactory other && sameProperties(other)
                && Objects.equals(mailboxName, other.mailboxName);
    }

    @Override
    public int hashCode() {
        return propertiesHash();
    }
}
