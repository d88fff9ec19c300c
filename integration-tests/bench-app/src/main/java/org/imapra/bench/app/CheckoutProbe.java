package org.imapra.bench.app;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.ResourceException;
import java.util.Properties;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.standin.LocalM365;

/**
 * One P1 operation, called through the EJB container: a checkout from the container's pool of imapra connections
 * ({@code getConnection()} + STATUS INBOX + {@code close()}), or the hand-written peer that connects per call (new
 * Session, TLS, AUTHENTICATE XOAUTH2 with a token it is given, STATUS, LOGOUT), as the standalone P1 has them.
 *
 * <p>The factory is declared the Jakarta EE way, pool of at most 8 like the standalone P1's pool; the stand-in's
 * ports are system properties of the Micro JVM that Payara expands.
 */
@ConnectionFactoryDefinition(
        name = CheckoutProbe.FACTORY_DOVECOT,
        resourceAdapter = "imapra",
        interfaceName = "org.imapra.api.ImapConnectionFactory",
        minPoolSize = 1,
        maxPoolSize = 8,
        properties = {
            "userName=" + LocalM365.DEFAULT_MAILBOX,
            "tenantId=" + LocalM365.DEFAULT_TENANT_ID,
            "clientId=" + LocalM365.DEFAULT_CLIENT_ID,
            "clientSecret=" + LocalM365.DEFAULT_CLIENT_SECRET,
            "authorityHost=${" + CheckoutProbe.AUTHORITY_HOST + "}",
            "imapHost=${imapra.bench.dovecot.imapHost}",
            "imapPort=${imapra.bench.dovecot.imapsPort}",
            "connectTimeoutMillis=10000",
            "readTimeoutMillis=60000"
        })
@ConnectionFactoryDefinition(
        name = CheckoutProbe.FACTORY_GREENMAIL,
        resourceAdapter = "imapra",
        interfaceName = "org.imapra.api.ImapConnectionFactory",
        minPoolSize = 1,
        maxPoolSize = 8,
        properties = {
            "userName=" + LocalM365.DEFAULT_MAILBOX,
            "tenantId=" + LocalM365.DEFAULT_TENANT_ID,
            "clientId=" + LocalM365.DEFAULT_CLIENT_ID,
            "clientSecret=" + LocalM365.DEFAULT_CLIENT_SECRET,
            "authorityHost=${" + CheckoutProbe.AUTHORITY_HOST + "}",
            "imapHost=${imapra.bench.greenmail.imapHost}",
            "imapPort=${imapra.bench.greenmail.imapsPort}",
            "connectTimeoutMillis=10000",
            "readTimeoutMillis=60000"
        })
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // IMAP is not transactional; as the README advises
public class CheckoutProbe {

    public static final String FACTORY_DOVECOT = "java:app/bench/imapra-dovecot";
    public static final String FACTORY_GREENMAIL = "java:app/bench/imapra-greenmail";
    /**
     * System properties of the Micro JVM, set by the harness: where the stand-in's token endpoint listens; where each
     * server does: {@code imapra.bench.SERVER.imapHost} and {@code .imapsPort} (SERVER dovecot or greenmail).
     */
    public static final String AUTHORITY_HOST = "imapra.bench.authorityHost";

    @Resource(lookup = FACTORY_DOVECOT)
    private ImapConnectionFactory dovecot;

    @Resource(lookup = FACTORY_GREENMAIL)
    private ImapConnectionFactory greenmail;

    /** imapra: a pooled connection of the server's factory, STATUS INBOX, back to the pool. The message count. */
    public int pooled(String server) throws ResourceException {
        try (ImapConnection c = ("greenmail".equals(server) ? greenmail : dovecot).getConnection()) {
            return c.status("INBOX").messages();
        }
    }

    /**
     * The hand-written peer: new Session, TLS, AUTHENTICATE XOAUTH2 with {@code token}, STATUS INBOX (the same
     * command as imapra's), LOGOUT. Returns the message count.
     */
    public int connectPerCall(String server, String token) throws MessagingException {
        String host = System.getProperty("imapra.bench." + server + ".imapHost");
        int port = Integer.parseInt(System.getProperty("imapra.bench." + server + ".imapsPort"));
        Properties p = new Properties();
        p.setProperty("mail.store.protocol", "imaps");
        p.setProperty("mail.imaps.host", host);
        p.setProperty("mail.imaps.port", Integer.toString(port));
        p.setProperty("mail.imaps.ssl.checkserveridentity", "true");
        p.setProperty("mail.imaps.auth.mechanisms", "XOAUTH2");
        p.setProperty("mail.imaps.connectiontimeout", "10000");
        p.setProperty("mail.imaps.timeout", "60000");
        IMAPStore store = (IMAPStore) Session.getInstance(p).getStore("imaps");
        store.connect(host, port, LocalM365.DEFAULT_MAILBOX, token);
        try {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            return (Integer) inbox.doCommand(CheckoutProbe::status);
        } finally {
            store.close();
        }
    }

    private static Object status(IMAPProtocol p) throws ProtocolException {
        return p.status("INBOX", new String[] {"MESSAGES", "UNSEEN", "UIDVALIDITY", "UIDNEXT"}).total;
    }
}
