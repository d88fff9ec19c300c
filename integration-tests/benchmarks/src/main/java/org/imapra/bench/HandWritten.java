package org.imapra.bench;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.imapra.standin.LocalM365;

/**
 * The hand-written alternative, as the MSAL4J and Angus Mail documentation suggest writing it: an MSAL
 * {@link ConfidentialClientApplication} for app-only tokens and an Angus {@code imaps} store authenticating with
 * XOAUTH2. Used by the peers of every measure.
 */
final class HandWritten {

    private HandWritten() {
    }

    /**
     * A hand-written token client: an MSAL app for the stand-in's tenant ({@code instanceDiscovery(false)} only
     * because the authority is a local host; the adapter sets the same) and the last token it gave. MSAL's own cache
     * cannot serve tokens of the stand-in: its cache entries record the authority's host without the port, so every
     * {@code acquireToken} against {@code https://localhost:PORT} goes to the endpoint. {@link #token()} therefore
     * keeps MSAL's last result until 5 minutes before it expires, which is what MSAL's cache does against
     * login.microsoftonline.com; like MSAL's cache, it does not make concurrent callers wait for one request.
     */
    static final class Tokens {
        private final ConfidentialClientApplication app;
        private volatile IAuthenticationResult last;

        private Tokens(ConfidentialClientApplication app) {
            this.app = app;
        }

        /** A token: the last one while it is valid for more than 5 minutes, else a new one from MSAL. */
        String token() {
            IAuthenticationResult r = last;
            if (r == null || r.expiresOnDate().getTime() - System.currentTimeMillis() < 300_000) {
                r = acquire(app);
                last = r;
            }
            return r.accessToken();
        }
    }

    /** A {@link Tokens} client with its own MSAL app (no token yet). */
    static Tokens msal(String authorityHost) {
        try {
            return new Tokens(ConfidentialClientApplication.builder(LocalM365.DEFAULT_CLIENT_ID,
                            ClientCredentialFactory.createFromSecret(LocalM365.DEFAULT_CLIENT_SECRET))
                    .authority(authorityHost + "/" + LocalM365.DEFAULT_TENANT_ID + "/")
                    .instanceDiscovery(false)
                    .build());
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A token request through MSAL. */
    private static IAuthenticationResult acquire(ConfidentialClientApplication app) {
        try {
            return app.acquireToken(ClientCredentialParameters.builder(Set.of(LocalM365.IMAP_SCOPE)).build()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("MSAL: " + e.getCause(), e.getCause());
        }
    }

    /** Session properties of a typical hand-written XOAUTH2 IMAP client (imaps, host name checked, timeouts). */
    static Properties properties(String host, int port) {
        Properties p = new Properties();
        p.setProperty("mail.store.protocol", "imaps");
        p.setProperty("mail.imaps.host", host);
        p.setProperty("mail.imaps.port", Integer.toString(port));
        p.setProperty("mail.imaps.ssl.checkserveridentity", "true");
        p.setProperty("mail.imaps.auth.mechanisms", "XOAUTH2");
        p.setProperty("mail.imaps.connectiontimeout", "10000");
        p.setProperty("mail.imaps.timeout", "60000");
        return p;
    }

    /** New Session, TLS connection and AUTHENTICATE XOAUTH2 with {@code token}. */
    static IMAPStore connect(String host, int port, String token) throws MessagingException {
        return connect(properties(host, port), host, port, LocalM365.DEFAULT_MAILBOX, token);
    }

    /** The same for another mailbox. */
    static IMAPStore connect(String host, int port, String mailbox, String token) throws MessagingException {
        return connect(properties(host, port), host, port, mailbox, token);
    }

    /** Like {@link #connect(String, int, String)} with TCP_NODELAY (P4's appending client). */
    static IMAPStore connectNoDelay(String host, int port, String token) throws MessagingException {
        Properties p = properties(host, port);
        p.put("mail.imaps.ssl.socketFactory", new NoDelaySocketFactory());
        return connect(p, host, port, LocalM365.DEFAULT_MAILBOX, token);
    }

    private static IMAPStore connect(Properties props, String host, int port, String mailbox, String token)
            throws MessagingException {
        Session session = Session.getInstance(props);
        IMAPStore store = (IMAPStore) session.getStore("imaps");
        store.connect(host, port, mailbox, token);
        return store;
    }

    /** One STATUS INBOX (MESSAGES UNSEEN UIDVALIDITY UIDNEXT), the command the adapter's status() sends. */
    static int status(IMAPStore store) throws MessagingException {
        IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
        Object r = inbox.doCommand(p -> statusOf(p));
        return (Integer) r;
    }

    private static Object statusOf(IMAPProtocol p) throws org.eclipse.angus.mail.iap.ProtocolException {
        return p.status("INBOX", new String[] {"MESSAGES", "UNSEEN", "UIDVALIDITY", "UIDNEXT"}).total;
    }

    static void closeQuietly(IMAPStore store) {
        try {
            store.close();
        } catch (MessagingException | RuntimeException e) {
            // benchmark peer: nothing to do
        }
    }
}
