package org.imapra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.nio.file.Path;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;
import org.imapra.cluster.DataGrids;
import org.imapra.core.AdapterContext;
import org.imapra.core.ConnectionBudgets;
import org.imapra.core.LeaseStores;
import org.imapra.imap.OAuthBearerSasl;
import org.imapra.inbound.ActivationRegistry;

/**
 * The imapra resource adapter: pooled, OAuth2-authenticated IMAP connections to Microsoft 365 (and any IMAP server
 * with SASL XOAUTH2 / OAUTHBEARER). What its connection factories, activations and admin objects share lives in one
 * {@link AdapterContext} (token cache, definitions, connections, activations), which they reach through
 * {@link AdapterContext#of(ResourceAdapter)}.
 */
@Connector(
        displayName = "imapra",
        description = "OAuth2 (XOAUTH2 / OAUTHBEARER) IMAP connections to Microsoft 365 mailboxes",
        vendorName = "imapra",
        eisType = "IMAP",
        version = "0.1",
        transactionSupport = TransactionSupport.TransactionSupportLevel.NoTransaction,
        reauthenticationSupport = false)
public class ImapResourceAdapter implements ResourceAdapter, AdapterContext.Provider {

    private static final Logger LOG = Logger.getLogger(ImapResourceAdapter.class.getName());

    private final AdapterContext context = new AdapterContext();
    private final ActivationRegistry activations = new ActivationRegistry(context);
    private String storeDirectory;
    private Integer maxConnectionsPerMailbox = ConnectionBudgets.DEFAULT_MAX;
    private String dataGridJndiName = DataGrids.PAYARA_JNDI;
    private String definitionsDataSource;
    private Integer leaseTtlSeconds = (int) (AdapterContext.DEFAULT_LEASE_TTL_MILLIS / 1000);
    private String leaseStore = LeaseStores.AUTO;

    public ImapResourceAdapter() {
        context.attach(activations);
    }

    public String getStoreDirectory() {
        return storeDirectory;
    }

    @ConfigProperty(description = "Directory of the named mailbox definitions the admin console manages (one JSON "
            + "file each, secrets encrypted with IMAPRA_MASTER_KEY or a key file created there). Default: ~/.imapra")
    public void setStoreDirectory(String storeDirectory) {
        this.storeDirectory = storeDirectory == null || storeDirectory.isBlank() ? null : storeDirectory.strip();
    }

    public Integer getMaxConnectionsPerMailbox() {
        return maxConnectionsPerMailbox;
    }

    // no defaultValue on this adapter's properties: with one, Payara ignores create-resource-adapter-config's value
    @ConfigProperty(description = "IMAP connections one mailbox may have open at once through this resource adapter, "
            + "connection factories and activations together (default 16; Exchange Online allows about 20); a "
            + "definition's own maxConnectionsPerMailbox overrides it.")
    public void setMaxConnectionsPerMailbox(Integer maxConnectionsPerMailbox) {
        int max = maxConnectionsPerMailbox == null ? ConnectionBudgets.DEFAULT_MAX : maxConnectionsPerMailbox;
        context.budgets().defaultMax(max);
        this.maxConnectionsPerMailbox = max;
    }

    public String getDataGridJndiName() {
        return dataGridJndiName;
    }

    @ConfigProperty(description = "JNDI name of the Hazelcast instance of the server's data grid (default "
            + DataGrids.PAYARA_JNDI + ": Payara Server and Micro bind theirs there). With it, each (mailbox, "
            + "folder) is consumed by one instance of the cluster at a time, with fail-over; without one (nothing "
            + "bound, --nocluster, other servers, or blank) the leases live in the definitionsDataSource's database "
            + "when it is set, else this instance consumes alone.")
    public void setDataGridJndiName(String dataGridJndiName) {
        this.dataGridJndiName = dataGridJndiName == null ? "" : dataGridJndiName.strip();
    }

    public String getDefinitionsDataSource() {
        return definitionsDataSource;
    }

    @ConfigProperty(description = "JNDI name of a DataSource (e.g. jdbc/imapra on PostgreSQL) holding the named "
            + "mailbox definitions, delegated sign-ins and audit log, shared by every instance of a cluster; tables "
            + "created or migrated at start; secrets encrypted with IMAPRA_MASTER_KEY (required, the same on every "
            + "instance). Not set: the storeDirectory of this instance.")
    public void setDefinitionsDataSource(String definitionsDataSource) {
        this.definitionsDataSource = definitionsDataSource == null || definitionsDataSource.isBlank() ? null
                : definitionsDataSource.strip();
        context.definitionsDataSource(this.definitionsDataSource);
    }

    public Integer getLeaseTtlSeconds() {
        return leaseTtlSeconds;
    }

    // no defaultValue: with one, Payara ignored the value of create-resource-adapter-config (seen in cluster-it)
    @ConfigProperty(description = "Seconds an activation's cluster lease lasts without renewal (default 15) "
            + "(renewed every third of it while it consumes): another instance takes over a crashed holder's folder "
            + "within this time. 2 to 300.")
    public void setLeaseTtlSeconds(Integer leaseTtlSeconds) {
        int ttl = leaseTtlSeconds == null ? (int) (AdapterContext.DEFAULT_LEASE_TTL_MILLIS / 1000) : leaseTtlSeconds;
        if (ttl < 2 || ttl > 300) {
            throw new IllegalArgumentException("leaseTtlSeconds must be between 2 and 300, not " + ttl);
        }
        context.leaseTtlMillis(ttl * 1000L);
        this.leaseTtlSeconds = ttl;
    }

    public String getLeaseStore() {
        return leaseStore;
    }

    @ConfigProperty(description = "Where the activations' cluster leases live: auto (default: in the "
            + "definitionsDataSource's database when it is set, else in the data grid), grid, or database. In the "
            + "database, a network cut or a split of the data grid neither delays a takeover beyond leaseTtlSeconds "
            + "and one retry nor grants two leases.")
    public void setLeaseStore(String leaseStore) {
        this.leaseStore = LeaseStores.parse(leaseStore);
        context.leaseStore(this.leaseStore);
    }

    /** The directory actually used. */
    public Path storePath() {
        return storeDirectory != null ? Path.of(storeDirectory) : Path.of(System.getProperty("user.home"), ".imapra");
    }

    /** The services this adapter's components share. */
    @Override
    public AdapterContext context() {
        return context;
    }

    @Override
    public void start(BootstrapContext ctx) {
        context.start(ctx == null ? null : ctx.getWorkManager(), storePath(), dataGridJndiName);
        LOG.info("imapra resource adapter started");
    }

    @Override
    public void stop() {
        context.stop();
        OAuthBearerSasl.unregister();
        LOG.info("imapra resource adapter stopped");
    }

    /**
     * Activates a {@link org.imapra.api.MailListener} endpoint: validates its {@link org.imapra.inbound.ImapActivationSpec}
     * and schedules the Work that delivers its mail. Returns at once; never touches the network.
     */
    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        activations.activate(factory, spec);
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
