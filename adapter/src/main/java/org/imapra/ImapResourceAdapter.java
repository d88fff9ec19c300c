package org.imapra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;
import org.imapra.auth.MsalTokenSource;
import org.imapra.auth.TokenCache;
import org.imapra.config.MailboxRegistry;
import org.imapra.imap.OAuthBearerSasl;

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
    private volatile WorkManager workManager;

    @Override
    public void start(BootstrapContext ctx) {
        workManager = ctx.getWorkManager();
        LOG.info("imapra resource adapter started");
    }

    @Override
    public void stop() {
        tokens.clear();
        OAuthBearerSasl.unregister();
        LOG.info("imapra resource adapter stopped");
    }

    /** The token cache every connection factory of this adapter shares. */
    public TokenCache tokens() {
        return tokens;
    }

    /** Named mailbox definitions. */
    public MailboxRegistry registry() {
        return registry;
    }

    /** The container's WorkManager (null before start). */
    public WorkManager workManager() {
        return workManager;
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        throw new jakarta.resource.NotSupportedException("inbound delivery (MailListener) is not available yet");
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        // nothing was activated
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
