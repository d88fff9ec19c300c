package org.imapra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;
import org.imapra.api.admin.LiveStatus;
import org.imapra.api.admin.PingReport;
import org.imapra.auth.MsalTokenSource;
import org.imapra.auth.TokenCache;
import org.imapra.config.FileDefinitionStore;
import org.imapra.config.MailboxRegistry;
import org.imapra.config.StoredDefinition;
import org.imapra.imap.OAuthBearerSasl;
import org.imapra.inbound.ActivationRegistry;
import org.imapra.outbound.ConnectionCensus;

/**
 * The imapra resource adapter: pooled, OAuth2-authenticated IMAP connections to Microsoft 365 (and any IMAP server
 * with SASL XOAUTH2 / OAUTHBEARER). Holds what all its connection factories share: the token cache (one token request
 * per token lifetime per app and tenant) and the registry of named mailbox definitions.
 */
@Connector(
        displayName = "imapra",
        description = "OAuth2 (XOAUTH2 / OAUTHBEARER) IMAP connections to Microsoft 365 mailboxes",
        vendorName = "imapra",
        eisType = "IMAP",
        version = "0.1",
        transactionSupport = TransactionSupport.TransactionSupportLevel.NoTransaction,
        reauthenticationSupport = false)
public class ImapResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(ImapResourceAdapter.class.getName());

    private final TokenCache tokens = new TokenCache(new MsalTokenSource());
    private final MailboxRegistry registry = new MailboxRegistry();
    private final ConnectionCensus census = new ConnectionCensus();
    private final Map<String, PingReport> lastPings =
            new ConcurrentHashMap<>();
    private volatile WorkManager workManager;
    private final ActivationRegistry activations = new ActivationRegistry();
    private final org.imapra.admin.PendingSignIns pendingSignIns = new org.imapra.admin.PendingSignIns();
    private volatile FileDefinitionStore store;
    private volatile String storeProblem = "the resource adapter has not started";
    private String storeDirectory;

    public String getStoreDirectory() {
        return storeDirectory;
    }

    @ConfigProperty(description = "Directory of the named mailbox definitions the admin console manages (one JSON "
            + "file each, secrets encrypted with IMAPRA_MASTER_KEY or a key file created there). Default: ~/.imapra")
    public void setStoreDirectory(String storeDirectory) {
        this.storeDirectory = storeDirectory == null || storeDirectory.isBlank() ? null : storeDirectory.strip();
    }

    /** The directory actually used. */
    public Path storePath() {
        return storeDirectory != null ? Path.of(storeDirectory) : Path.of(System.getProperty("user.home"), ".imapra");
    }

    @Override
    public void start(BootstrapContext ctx) {
        workManager = ctx == null ? null : ctx.getWorkManager();
        openStore();
        LOG.info("imapra resource adapter started");
    }

    /** Opens the definitions store and registers what it holds; a failure is logged and reported by the admin API. */
    void openStore() {
        Path dir = storePath();
        try {
            FileDefinitionStore s = FileDefinitionStore.open(dir);
            FileDefinitionStore.LoadResult loaded = s.loadAll();
            for (StoredDefinition d : loaded.definitions()) {
                registry.register(d.definition());
            }
            loaded.errors().forEach((file, why) -> LOG.severe("Mailbox definition not loaded: " + why));
            store = s;
            storeProblem = null;
            LOG.info("Mailbox definitions store " + dir + ": " + loaded.definitions().size() + " loaded, "
                    + loaded.errors().size() + " unreadable");
        } catch (IOException | RuntimeException e) {
            storeProblem = "the definitions store " + dir + " cannot be opened: " + e.getMessage();
            LOG.log(Level.SEVERE, "The mailbox definitions store " + dir + " cannot be opened; named definitions "
                    + "from the console are unavailable", e);
        }
    }

    /** The definitions store, or null when it could not be opened (see {@link #storeProblem()}). */
    public FileDefinitionStore store() {
        return store;
    }

    /** Why there is no store, or null. */
    public String storeProblem() {
        return storeProblem;
    }

    @Override
    public void stop() {
        activations.deactivateAll();
        tokens.clear();
        OAuthBearerSasl.unregister();
        LOG.info("imapra resource adapter stopped");
    }

    /** The token cache every connection factory of this adapter shares. */
    public TokenCache tokens() {
        return tokens;
    }

    /** Delegated sign-ins in progress (state → definition, PKCE verifier), for the admin API. */
    public org.imapra.admin.PendingSignIns pendingSignIns() {
        return pendingSignIns;
    }

    /** A named definition was saved or deleted: inbound activations using it reconnect with the new one. */
    public void definitionChanged(String name) {
        activations.definitionChanged(this, name);
    }

    /** The last ping report of each named definition since start, for the console's list. */
    public Map<String, PingReport> lastPings() {
        return lastPings;
    }

    /** The live pooled connections, for the console. */
    public ConnectionCensus census() {
        return census;
    }

    /** Inbound activations on the named definition, for the console. */
    public List<LiveStatus.Activation> activations(String definitionName) {
        return activations.statuses(definitionName);
    }

    /** Named mailbox definitions. */
    public MailboxRegistry registry() {
        return registry;
    }

    /** The container's WorkManager (null before start). */
    public WorkManager workManager() {
        return workManager;
    }

    /**
     * Activates a {@link org.imapra.api.MailListener} endpoint: validates its {@link org.imapra.inbound.ImapActivationSpec}
     * and schedules the Work that delivers its mail. Returns at once; never touches the network.
     */
    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        activations.activate(this, factory, spec);
    }

    /** Stops the endpoint's delivery within 5 s, leaving no thread and no IMAP connection. */
    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        activations.deactivate(factory, spec);
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
