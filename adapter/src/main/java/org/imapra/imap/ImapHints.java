package org.imapra.imap;

import java.util.Locale;
import org.imapra.auth.NetworkFailure;

/** What to tell the user about an IMAP-side failure (the README's troubleshooting table). */
public final class ImapHints {

    private ImapHints() {
    }

    /** A hint for the server's words or the network cause, or null. */
    public static String hint(String serverWords, Throwable cause) {
        String w = serverWords == null ? "" : serverWords.toLowerCase(Locale.ROOT);
        if (w.contains("accesstokenexpired")) {
            return "The access token expired during the session and Exchange ended it; the connection was replaced: "
                    + "call getConnection() again";
        }
        if (w.contains("authenticated but not connected")) {
            return "The token was accepted but may not open this mailbox: check userName (the mailbox address, for a "
                    + "shared mailbox its own address, not a member's), that the app's service principal has FullAccess "
                    + "on it (Add-MailboxPermission -AccessRights FullAccess) and the IMAP.AccessAsApp permission; "
                    + "Exchange also answers so to a client that connects too often: imapra retries with the longest "
                    + "back-off";
        }
        if (w.contains("request is throttled") || w.contains("throttled this mailbox") || w.contains("server unavailable") || w.contains("[unavailable]")
                || w.contains("[limit]")) {
            return "Exchange Online limits this mailbox (too many connections or commands): imapra waits as asked; "
                    + "fewer connections (maxConnectionsPerMailbox, pool sizes, activations) and longer poll intervals help";
        }
        if (w.contains("authenticate failed") || w.contains("authentication failed")) {
            return "The IMAP server refused the token: register the app in Exchange (New-ServicePrincipal with the "
                    + "Enterprise Application's object ID), grant it the mailbox (Add-MailboxPermission -AccessRights "
                    + "FullAccess), make sure IMAP is enabled for the mailbox, and that the token has the "
                    + "IMAP.AccessAsApp role";
        }
        NetworkFailure failure = NetworkFailure.of(cause);
        if (failure == null) {
            return null;
        }
        return switch (failure) {
            case UNKNOWN_HOST -> "The IMAP host name does not resolve: check imapHost / cloud and the server's DNS";
            case REFUSED -> "The IMAP server refused the connection: check imapHost, imapPort (993) and firewalls";
            case TIMEOUT -> "The IMAP server did not answer in time: check the network path, connectTimeoutMillis and "
                    + "readTimeoutMillis";
            case TLS_HANDSHAKE -> "TLS to the IMAP server failed: its certificate is not trusted by this JVM or does "
                    + "not match imapHost (host name verification is always on)";
            case TLS -> "TLS to the IMAP server failed: check imapPort (993 is IMAP over TLS) and proxies";
        };
    }
}
