package org.imapra.inbound;

import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import org.imapra.api.MailListener;
import org.imapra.config.MailboxProperties;
import org.imapra.config.MailboxRegistry;
import org.imapra.core.AdapterContext;

/**
 * The activation properties of a {@link MailListener} MDB: which mailbox (a named definition, {@code mailbox}, or
 * the inline definition properties it inherits: {@code userName}, {@code tenantId}, {@code clientId},
 * {@code clientSecret}, {@code cloud}, ...), which folder, how to listen and what to do after delivery. Checked by
 * {@link #validate()}; each message names the property.
 */
@Activation(messageListeners = MailListener.class)
public class ImapActivationSpec extends MailboxProperties implements ActivationSpec {

    private static final long serialVersionUID = 1L;

    private String mailbox;
    private String folder = "INBOX";
    private String mode;
    private Integer pollIntervalSeconds = 60;
    private Integer idleRenewSeconds = 600;
    private Integer idleCheckSeconds = 120;
    private String searchFilter = "UNSEEN";
    private Integer maxMessagesPerBatch = 100;
    private String afterDelivery = "MARK_SEEN";
    private String moveTo;
    private Integer maxAttempts = 5;
    private String errorFolder;
    private Long retryBackoffMillis = 1_000L;
    private Long maxRetryBackoffMillis = 60_000L;
    private Integer maxConcurrency = 1;

    private transient ResourceAdapter resourceAdapter;

    @Override
    protected String definitionName() {
        return null;
    }

    /** Checks every property; a named {@code mailbox} is resolved when the resource adapter is associated. */
    @Override
    public void validate() throws InvalidPropertyException {
        AdapterContext context = AdapterContext.of(resourceAdapter);
        settings(context == null ? null : context.registry());
    }

    /**
     * The validated settings; with a null {@code registry} a named mailbox is not resolved (definition null).
     *
     * @throws InvalidPropertyException listing every problem, each naming its property
     */
    public InboundSettings settings(MailboxRegistry registry) throws InvalidPropertyException {
        return new ActivationSpecValidator(this, registry).settings();
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) {
        this.resourceAdapter = ra;
    }

    public String getMailbox() {
        return mailbox;
    }

    @ConfigProperty(description = "Name of a mailbox definition (a connection factory's mailboxName). Or set the "
            + "inline definition properties (userName, tenantId, clientId, clientSecret, ...), not both.")
    public void setMailbox(String mailbox) {
        this.mailbox = mailbox;
    }

    public String getFolder() {
        return folder;
    }

    @ConfigProperty(defaultValue = "INBOX", description = "The folder whose messages are delivered.")
    public void setFolder(String folder) {
        this.folder = folder;
    }

    public String getMode() {
        return mode;
    }

    @ConfigProperty(description = "IDLE or POLL. Default: IDLE when the server advertises it, else POLL.")
    public void setMode(String mode) {
        this.mode = mode;
    }

    public Integer getPollIntervalSeconds() {
        return pollIntervalSeconds;
    }

    @ConfigProperty(defaultValue = "60", description = "POLL mode: seconds between searches.")
    public void setPollIntervalSeconds(Integer pollIntervalSeconds) {
        this.pollIntervalSeconds = pollIntervalSeconds;
    }

    public Integer getIdleRenewSeconds() {
        return idleRenewSeconds;
    }

    @ConfigProperty(defaultValue = "600", description = "IDLE mode: seconds after which IDLE is ended and re-issued "
            + "(and the folder searched again), well before servers drop idle connections (at most 1740).")
    public void setIdleRenewSeconds(Integer idleRenewSeconds) {
        this.idleRenewSeconds = idleRenewSeconds;
    }

    public Integer getIdleCheckSeconds() {
        return idleCheckSeconds;
    }

    @ConfigProperty(defaultValue = "120", description = "IDLE mode: when nothing at all came from the server for "
            + "this many seconds, IDLE is ended and the connection checked; one that stays silent is replaced "
            + "within idleCheckSeconds + readTimeoutMillis (at most 1740).")
    public void setIdleCheckSeconds(Integer idleCheckSeconds) {
        this.idleCheckSeconds = idleCheckSeconds;
    }

    public String getSearchFilter() {
        return searchFilter;
    }

    @ConfigProperty(defaultValue = "UNSEEN", description = "UNSEEN or ALL, optionally with from=<text> and "
            + "subject=<text>, separated by ';', e.g. UNSEEN; from=alerts@contoso.com; subject=Invoice.")
    public void setSearchFilter(String searchFilter) {
        this.searchFilter = searchFilter;
    }

    public Integer getMaxMessagesPerBatch() {
        return maxMessagesPerBatch;
    }

    @ConfigProperty(defaultValue = "100", description = "Messages fetched per FETCH (envelope and structure).")
    public void setMaxMessagesPerBatch(Integer maxMessagesPerBatch) {
        this.maxMessagesPerBatch = maxMessagesPerBatch;
    }

    public String getAfterDelivery() {
        return afterDelivery;
    }

    @ConfigProperty(defaultValue = "MARK_SEEN", description = "MARK_SEEN, MOVE (to moveTo), DELETE or NONE: done "
            + "only after onMessage returned normally.")
    public void setAfterDelivery(String afterDelivery) {
        this.afterDelivery = afterDelivery;
    }

    public String getMoveTo() {
        return moveTo;
    }

    @ConfigProperty(description = "afterDelivery=MOVE: the folder delivered messages are moved to, e.g. Processed.")
    public void setMoveTo(String moveTo) {
        this.moveTo = moveTo;
    }

    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    @ConfigProperty(defaultValue = "5", description = "Deliveries of a message whose onMessage throws before it is "
            + "given up (moved to errorFolder).")
    public void setMaxAttempts(Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public String getErrorFolder() {
        return errorFolder;
    }

    @ConfigProperty(description = "Where a message goes after maxAttempts failed deliveries. Unset: it stays "
            + "where it is and is not delivered again by this activation (logged at SEVERE).")
    public void setErrorFolder(String errorFolder) {
        this.errorFolder = errorFolder;
    }

    public Long getRetryBackoffMillis() {
        return retryBackoffMillis;
    }

    @ConfigProperty(defaultValue = "1000", description = "First back-off (ms) before a failed message is delivered "
            + "again and before a failed reconnect is retried; doubled each time, with jitter.")
    public void setRetryBackoffMillis(Long retryBackoffMillis) {
        this.retryBackoffMillis = retryBackoffMillis;
    }

    public Long getMaxRetryBackoffMillis() {
        return maxRetryBackoffMillis;
    }

    @ConfigProperty(defaultValue = "60000", description = "Upper bound (ms) of the back-off.")
    public void setMaxRetryBackoffMillis(Long maxRetryBackoffMillis) {
        this.maxRetryBackoffMillis = maxRetryBackoffMillis;
    }

    public Integer getMaxConcurrency() {
        return maxConcurrency;
    }

    @ConfigProperty(defaultValue = "1", description = "Messages delivered at the same time. 1 keeps mailbox order.")
    public void setMaxConcurrency(Integer maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    @Override
    public String toString() {
        return "ImapActivationSpec[mailbox=" + mailbox + ", userName=" + getUserName() + ", folder=" + folder
                + ", mode=" + mode + ", afterDelivery=" + afterDelivery + ", moveTo=" + moveTo + "]";
    }
}
