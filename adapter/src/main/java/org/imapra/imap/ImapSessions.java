package org.imapra.imap;

import jakarta.mail.FetchProfile;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import java.util.Properties;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.SaslMechanism;

/**
 * Builds the Jakarta Mail {@link Session} for a mailbox: IMAP over TLS with host name verification, OAuth2 only (no
 * LOGIN/PLAIN fallback that would send the token as a password), every read timeout set, Angus' own pool at one
 * connection (the JCA pool is the pool), BODY.PEEK, bodies in 1 MB partial fetches, no STATUS caching.
 *
 * <p>{@code mail.imaps.writetimeout} is deliberately not set: Angus implements it with a scheduler thread per socket,
 * and the adapter starts no threads of its own. The read timeout bounds every command's answer.
 */
public final class ImapSessions {

    /** Size of one partial FETCH of a message body. */
    public static final int FETCH_SIZE_BYTES = 1024 * 1024;

    private ImapSessions() {
    }

    public static Properties properties(MailboxDefinition d) {
        Properties p = new Properties();
        p.setProperty("mail.store.protocol", "imaps");
        p.setProperty("mail.imaps.host", d.imapHost());
        p.setProperty("mail.imaps.port", Integer.toString(d.imapPort()));
        p.setProperty("mail.imaps.ssl.enable", "true");
        p.setProperty("mail.imaps.ssl.checkserveridentity", "true");
        p.setProperty("mail.imaps.connectiontimeout", Integer.toString(d.connectTimeoutMillis()));
        p.setProperty("mail.imaps.timeout", Integer.toString(d.readTimeoutMillis()));
        p.setProperty("mail.imaps.connectionpoolsize", "1");
        p.setProperty("mail.imaps.statuscachetimeout", "0");
        p.setProperty("mail.imaps.peek", "true");
        // Bodies stream in 1 MB partial FETCHes (Angus' default 16 KB needs ~1,600 round trips for a 25 MB
        // attachment); one chunk at a time is all that is held in memory.
        p.setProperty("mail.imaps.fetchsize", Integer.toString(FETCH_SIZE_BYTES));
        p.setProperty("mail.imaps.auth.login.disable", "true");
        p.setProperty("mail.imaps.auth.plain.disable", "true");
        p.setProperty("mail.imaps.auth.ntlm.disable", "true");
        p.setProperty("mail.imaps.starttls.enable", "false");
        // A failed TLS handshake is a failure: no second attempt through another socket factory (Angus' default),
        // which would hide the error and bypass a socket factory set by the caller.
        p.setProperty("mail.imaps.socketFactory.fallback", "false");
        if (d.saslMechanism() == SaslMechanism.OAUTHBEARER) {
            OAuthBearerSasl.register();
            p.setProperty("mail.imaps.sasl.enable", "true");
            p.setProperty("mail.imaps.sasl.mechanisms", "OAUTHBEARER");
            p.setProperty("mail.imaps.auth.mechanisms", "OAUTHBEARER");
        } else {
            p.setProperty("mail.imaps.auth.mechanisms", "XOAUTH2");
        }
        return p;
    }

    /** What one FETCH asks of each message before anyone reads it: envelope, flags, structure, size and UID. */
    public static FetchProfile metadata() {
        FetchProfile fp = new FetchProfile();
        fp.add(FetchProfile.Item.ENVELOPE);
        fp.add(FetchProfile.Item.FLAGS);
        fp.add(FetchProfile.Item.CONTENT_INFO);
        fp.add(FetchProfile.Item.SIZE);
        fp.add(UIDFolder.FetchProfileItem.UID);
        return fp;
    }

    public static Session session(MailboxDefinition d) {
        return Session.getInstance(properties(d));
    }
}
