package org.imapra.core;

import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.work.WorkManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.api.admin.PingReport;
import org.imapra.auth.MsalTokenSource;
import org.imapra.auth.RotatingTokens;
import org.imapra.auth.TokenCache;
import org.imapra.cluster.LeaseGrid;
import org.imapra.cluster.LeaseSpread;
import org.imapra.config.DefinitionStore;
import org.imapra.config.FileDefinitionStore;
import org.imapra.config.MailboxRegistry;
import org.imapra.config.StoredDefinition;

/**
 * The services one resource adapter shares among its connection factories, activations and admin objects: the
 * definitions store and registry, the token cache, the connection census, the activations, pending sign-ins, the last
 * ping reports, the WorkManager, and the {@link DefinitionLifecycle} that keeps them consistent. Created once per
 * resource adapter; every component reaches it through {@link #of(ResourceAdapter)}. A connection factory used without
 * a resource adapter has a {@link #standalone()} one of its own (no store, no WorkManager).
 */
public final class AdapterContext {

    private static final Logger LOG = Logger.getLogger(AdapterContext.class.getName());

    /** Implemented by the resource adapter: how its components find the context. */
    public interface Provider {
        AdapterContext context();
    }

    private final TokenCache tokens = new TokenCache(new MsalTokenSource());
    private final RotatingTokens rotatingTokens = new RotatingTokens(tokens);
    private final MailboxRegistry registry = new MailboxRegistry();
    private final ConnectionCensus census = new ConnectionCensus();
    private final Map<String, PingReport> lastPings = new ConcurrentHashMap<>();
    private final PendingSignIns pendingSignIns = new PendingSignIns();
    private final Telemetry telemetry = new Telemetry();
    private final MailboxThrottles throttles = new MailboxThrottles(java.time.Clock.systemUTC(), telemetry);
    private final ConnectionBudgets budgets = new ConnectionBudgets();

    {
        budgets.sharedBy(() -> grid().liveMembers()); // in a cluster, each instance takes its share of a budget
    }
    private final DefinitionLifecycle lifecycle =
            new DefinitionLifecycle(registry, census, tokens, lastPings, this::store);
    private volatile Activations activations = Activations.NONE;
    private volatile WorkManager workManager;
    private volatile DefinitionStore store;
    private volatile String storeProblem = "the resource adapter has not started";
    private final ClusterLeases cluster = new ClusterLeases();

    private volatile String definitionsDataSource;
    private volatile javax.sql.DataSource givenDataSource;
    private volatile String masterKey = System.getenv(org.imapra.config.SecretCipher.ENV_MASTER_KEY);
    private volatile long pollMillis = 5_000;
    private volatile DefinitionPropagation propagation;

    /** Default lease TTL: a dead holder's folder is taken over within it. */
    public static final long DEFAULT_LEASE_TTL_MILLIS = 15_000;

    /** The context of the imapra resource adapter {@code ra}, or null when {@code ra} is null or another adapter. */
    public static AdapterContext of(ResourceAdapter ra) {
        return ra instanceof Provider p ? p.context() : null;
    }

    /** A context for a connection factory used without a resource adapter. */
    public static AdapterContext standalone() {
        AdapterContext c = new AdapterContext();
        c.storeProblem = "this connection factory is not part of a started resource adapter";
        return c;
    }

    /** The activations of the resource adapter; they restart when their definition changes. */
    public void attach(Activations activations) {
        this.activations = activations;
        lifecycle.listen(activations);
    }

    /**
     * Uses {@code grid} for the cluster-wide leases instead of the one {@link #start} would discover (tests, and
     * callers that hold their own Hazelcast member).
     */
    public void useGrid(LeaseGrid grid) {
        cluster.useGrid(grid);
    }

    /** Where the leases live: {@link LeaseStores#AUTO}, {@code GRID} or {@code DATABASE} (see {@link LeaseStores}). */
    public void leaseStore(String setting) {
        cluster.store(setting);
    }

    /**
     * Keeps the definitions in the database of the DataSource at JNDI {@code jndiName} (shared by the instances)
     * instead of the store directory; null: the directory.
     */
    public void definitionsDataSource(String jndiName) {
        this.definitionsDataSource = jndiName;
    }

    /**
     * Tests and embedders: the definitions in {@code ds} (as {@link #definitionsDataSource}), secrets encrypted with
     * {@code masterKey} (base64 of 32 bytes), changes of other instances polled every {@code pollMillis} when there
     * is no data grid.
     */
    public void useDefinitionsDataSource(javax.sql.DataSource ds, String masterKey, long pollMillis) {
        this.givenDataSource = ds;
        this.masterKey = masterKey;
        this.pollMillis = pollMillis;
    }

    /** The lease TTL: how long a dead holder keeps a folder (renewed every third of it). */
    public void leaseTtlMillis(long millis) {
        cluster.ttlMillis(millis);
    }

    public long leaseTtlMillis() {
        return cluster.ttlMillis();
    }

    /** The cluster-wide leases of the activations, and the rule that spreads them. */
    public LeaseSpread leases() {
        return cluster.leases();
    }

    /**
     * The data grid ({@link LeaseGrid#ALONE} without one): its members and topic; {@link LeaseGrid#liveMembers()}
     * divides shared budgets. The leases themselves may live in the database: {@link #leases()}.
     */
    public LeaseGrid grid() {
        return cluster.grid();
    }

    /**
     * Resource adapter start: the data grid looked up at {@code gridJndiName} (null or blank: none), the WorkManager,
     * and the definitions store opened and registered.
     */
    public void start(WorkManager workManager, Path storeDirectory, String gridJndiName) {
        cluster.discover(gridJndiName);
        start(workManager, storeDirectory);
    }

    /** Resource adapter start: the WorkManager, and the definitions store opened and registered. */
    public void start(WorkManager workManager, Path storeDirectory) {
        this.workManager = workManager;
        openStore(storeDirectory);
        cluster.started();
    }

    /** Resource adapter stop: every activation stopped, every token forgotten. */
    public void stop() {
        DefinitionPropagation p = propagation;
        if (p != null) {
            p.stop();
        }
        activations.deactivateAll();
        tokens.clear();
        rotatingTokens.clear();
    }

    /** Opens the definitions store and registers what it holds; a failure is logged and reported by the admin API. */
    private void openStore(Path directory) {
        boolean jdbc = givenDataSource != null || definitionsDataSource != null;
        String dir = jdbc ? "database " + (definitionsDataSource == null ? "(given)" : definitionsDataSource)
                : directory.toString();
        if (!jdbc) {
            cluster.definitionsIn(null, dir);
        }
        try {
            javax.sql.DataSource ds = jdbc ? JdbcStores.lookup(givenDataSource, definitionsDataSource) : null;
            DefinitionStore s = jdbc ? JdbcStores.open(ds, givenDataSource != null, definitionsDataSource, masterKey)
                    : FileDefinitionStore.open(directory);
            if (jdbc) {
                cluster.definitionsIn(ds, dir);
            }
            DefinitionStore.LoadResult loaded = s.loadAll();
            for (StoredDefinition d : loaded.definitions()) {
                registry.register(d.definition());
            }
            loaded.errors().forEach((file, why) -> LOG.severe("Mailbox definition not loaded: " + why));
            store = s;
            storeProblem = null;
            if (s instanceof org.imapra.config.JdbcDefinitionStore shared && workManager != null) {
                propagation = new DefinitionPropagation(shared, registry, lifecycle, grid(), workManager, pollMillis);
                propagation.start();
            }
            LOG.info("Mailbox definitions store " + dir + ": " + loaded.definitions().size() + " loaded, "
                    + loaded.errors().size() + " unreadable");
        } catch (IOException | jakarta.resource.spi.work.WorkException | RuntimeException e) {
            storeProblem = "the definitions store " + dir + " cannot be opened: " + e.getMessage();
            LOG.log(Level.SEVERE, "The mailbox definitions store " + dir + " cannot be opened; named definitions "
                    + "from the console are unavailable", e);
        }
    }

    /** The definitions store, or null when it could not be opened (see {@link #storeProblem()}). */
    public DefinitionStore store() {
        return store;
    }

    /** Why there is no store, or null. */
    public String storeProblem() {
        return storeProblem;
    }

    /** The token cache every connection factory and activation of the adapter shares. */
    public TokenCache tokens() {
        return tokens;
    }

    /**
     * Tokens from {@link #tokens()} that switch to a definition's next secret or certificate when Entra refuses the
     * current one: what connection factories and activations ask.
     */
    public RotatingTokens rotatingTokens() {
        return rotatingTokens;
    }

    /** Named mailbox definitions. */
    public MailboxRegistry registry() {
        return registry;
    }

    /** The live pooled connections. */
    public ConnectionCensus census() {
        return census;
    }

    /** Saved, replaced or removed definitions go through here. */
    public DefinitionLifecycle lifecycle() {
        return lifecycle;
    }

    /** The inbound activations ({@link Activations#NONE} until the resource adapter attaches its own). */
    public Activations activations() {
        return activations;
    }

    /** Per mailbox, until when Exchange asked not to be contacted. */
    public MailboxThrottles throttles() {
        return throttles;
    }

    /** Per definition, the counters published as metrics. */
    public Telemetry telemetry() {
        return telemetry;
    }

    /** Per mailbox, the connections open and the budget they share. */
    public ConnectionBudgets budgets() {
        return budgets;
    }

    /** Delegated sign-ins in progress. */
    public PendingSignIns pendingSignIns() {
        return pendingSignIns;
    }

    /** The last ping report of each named definition since start. */
    public Map<String, PingReport> lastPings() {
        return lastPings;
    }

    /** The container's WorkManager (null before start, and in a standalone context). */
    public WorkManager workManager() {
        return workManager;
    }
}
