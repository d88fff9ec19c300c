package org.imapra.it.app;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.ResourceException;
import org.imapra.api.FolderStatus;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.standin.LocalM365;

/**
 * Defines the application's IMAP connection factory the Jakarta EE way (an annotation naming the standalone resource
 * adapter {@code imapra}, i.e. {@code imapra.rar}), pointed at the local Microsoft 365 stand-in, and uses it.
 * The {@code LocalM365} constants are compile-time constants: inlined, so the stand-in is not needed in the WAR.
 */
@ConnectionFactoryDefinition(
        name = MailboxBean.JNDI_NAME,
        resourceAdapter = "imapra",
        interfaceName = "org.imapra.api.ImapConnectionFactory",
        minPoolSize = 0,
        maxPoolSize = MailboxBean.MAX_POOL_SIZE,
        properties = {
            "userName=" + LocalM365.DEFAULT_MAILBOX,
            "tenantId=" + LocalM365.DEFAULT_TENANT_ID,
            "clientId=" + LocalM365.DEFAULT_CLIENT_ID,
            "clientSecret=" + LocalM365.DEFAULT_CLIENT_SECRET,
            // The stand-in listens on ephemeral ports: Payara expands these system properties of the Micro JVM
            // (set from StandinExtension through arquillian.xml's cmdOptions)
            "authorityHost=${imapra.it.authorityHost}",
            "imapHost=localhost",
            "imapPort=${imapra.it.imapsPort}",
            "connectTimeoutMillis=5000",
            "readTimeoutMillis=10000",
            // Payara: how long a caller waits for a free pooled connection before it gets an error
            "org.glassfish.connector-connection-pool.max-wait-time-in-millis=" + MailboxBean.MAX_WAIT_MILLIS
        })
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MailboxBean {

    public static final String JNDI_NAME = "java:app/mail/support";
    public static final int MAX_POOL_SIZE = 2;
    public static final int MAX_WAIT_MILLIS = 3000;

    @Resource(lookup = JNDI_NAME)
    private ImapConnectionFactory mail;

    @EJB
    private Gate gate;

    public FolderStatus status(String folder) throws ResourceException {
        try (ImapConnection connection = mail.getConnection()) {
            return connection.status(folder);
        }
    }

    /**
     * Takes a connection from the pool and keeps it until the gate opens (at most {@code maxMillis}), then uses and
     * returns it.
     */
    public FolderStatus holdConnection(String folder, long maxMillis) throws ResourceException, InterruptedException {
        try (ImapConnection connection = mail.getConnection()) {
            if (!gate.await(maxMillis)) {
                throw new IllegalStateException("The gate was not released within " + maxMillis + " ms");
            }
            return connection.status(folder);
        }
    }
}
