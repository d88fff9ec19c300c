package org.imapra.it.app;

import jakarta.annotation.Resource;
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
 * Secrets by reference on Payara: the connection factory's clientSecret is the password alias
 * {@value #ALIAS} (created by Micro's post-boot commands), never the value; and the store's definition
 * {@value #STORED} holds the same reference, as the console saves "use alias X".
 */
@ConnectionFactoryDefinition(
        name = AliasedMailboxBean.JNDI_NAME,
        resourceAdapter = "imapra",
        interfaceName = "org.imapra.api.ImapConnectionFactory",
        minPoolSize = 0,
        maxPoolSize = 1,
        properties = {
            "userName=" + LocalM365.DEFAULT_MAILBOX,
            "tenantId=" + LocalM365.DEFAULT_TENANT_ID,
            "clientId=" + LocalM365.DEFAULT_CLIENT_ID,
            "clientSecret=${ALIAS=" + AliasedMailboxBean.ALIAS + "}",
            "authorityHost=${imapra.it.authorityHost}",
            "imapHost=localhost",
            "imapPort=${imapra.it.imapsPort}",
            "connectTimeoutMillis=5000",
            "readTimeoutMillis=10000"
        })
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AliasedMailboxBean {

    public static final String JNDI_NAME = "java:app/mail/aliased";
    public static final String ALIAS = "imapra-it-secret";
    public static final String STORED = "aliased";

    @Resource(lookup = JNDI_NAME)
    private ImapConnectionFactory mail;

    /** Through the factory's own definition (clientSecret from the alias). */
    public FolderStatus status() throws ResourceException {
        try (ImapConnection connection = mail.getConnection()) {
            return connection.status("INBOX");
        }
    }

    /** Through the stored definition {@value #STORED} (its clientSecret a reference to the alias). */
    public FolderStatus storedStatus() throws ResourceException {
        try (ImapConnection connection = mail.getConnection(STORED)) {
            return connection.status("INBOX");
        }
    }
}
