package org.imapra.ping;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.imapra.api.admin.PingStage.Status;
import org.imapra.auth.AccessToken;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.SaslMechanism;
import org.imapra.ping.StagedPing.Outcome;
import org.imapra.imap.ImapHints;
import org.imapra.imap.OAuthBearerSasl;

/** The IMAP-side stages of {@link StagedPing}, on one TLS connection; the token is sent but never shown. */
final class ImapStages {

    private final MailboxDefinition d;
    private final AccessToken token;
    private ImapProbe probe;
    private String capabilities = "";

    ImapStages(MailboxDefinition d, AccessToken token) {
        this.d = d;
        this.token = token;
    }

    Outcome<Void> connect() throws IOException {
        probe = ImapProbe.connect(d.imapHost(), d.imapPort(), d.connectTimeoutMillis(), d.readTimeoutMillis());
        String greeting = probe.readLine();
        if (greeting.contains("CAPABILITY")) {
            capabilities = greeting;
        }
        return new Outcome<>(null, Status.OK, d.imapHost() + ":" + d.imapPort() + " " + probe.describeTls()
                + "; greeting: " + greeting, null);
    }

    Outcome<Void> capabilities() throws IOException {
        List<String> lines = probe.command("CAPABILITY");
        String tagged = lines.get(lines.size() - 1);
        for (String l : lines) {
            if (l.toUpperCase(Locale.ROOT).startsWith("* CAPABILITY")) {
                capabilities = l.substring(2);
            }
        }
        String wanted = "AUTH=" + d.saslMechanism().name();
        if (!tagged.contains(" OK") || !capabilities.toUpperCase(Locale.ROOT).contains(wanted)) {
            return new Outcome<>(null, Status.FAILED, capabilities.isEmpty() ? tagged : capabilities,
                    "The server does not offer " + wanted + (d.saslMechanism() == SaslMechanism.XOAUTH2
                            ? ": check imapHost (Exchange Online offers XOAUTH2) or set saslMechanism=OAUTHBEARER"
                            : ": set saslMechanism=XOAUTH2 if the server offers it"));
        }
        return new Outcome<>(null, Status.OK, capabilities, null);
    }

    Outcome<Void> authenticate() throws IOException {
        String mechanism = d.saslMechanism().name();
        byte[] response = d.saslMechanism() == SaslMechanism.OAUTHBEARER
                ? OAuthBearerSasl.initialResponse(d.userName(), token.value())
                : ("user=" + d.userName() + "\u0001auth=Bearer " + token.value() + "\u0001\u0001")
                .getBytes(StandardCharsets.UTF_8);
        String encoded = Base64.getEncoder().encodeToString(response);
        String tag = probe.nextTag();
        if (capabilities.toUpperCase(Locale.ROOT).contains("SASL-IR")) {
            probe.send(tag + " AUTHENTICATE " + mechanism + " " + encoded);
        } else {
            probe.send(tag + " AUTHENTICATE " + mechanism);
            String cont = probe.readLine();
            if (!cont.startsWith("+")) {
                return new Outcome<>(null, Status.FAILED, cont, ImapHints.hint(cont, null));
            }
            probe.send(encoded);
        }
        String line = probe.readLine();
        while (line.startsWith("+")) {
            probe.send(d.saslMechanism() == SaslMechanism.OAUTHBEARER ? "AQ==" : "");
            line = probe.readLine();
        }
        while (!line.startsWith(tag + " ")) {
            line = probe.readLine();
        }
        String words = line.substring(tag.length() + 1);
        if (!words.startsWith("OK")) {
            return new Outcome<>(null, Status.FAILED, "AUTHENTICATE " + mechanism + " as " + d.userName() + " → "
                    + words, ImapHints.hint(words, null));
        }
        return new Outcome<>(null, Status.OK, "AUTHENTICATE " + mechanism + " as " + d.userName() + " → " + words,
                null);
    }

    Outcome<Void> selectInbox() throws IOException {
        List<String> lines = probe.command("SELECT INBOX");
        String tagged = lines.get(lines.size() - 1);
        if (!tagged.contains(" OK")) {
            String words = tagged.substring(tagged.indexOf(' ') + 1);
            return new Outcome<>(null, Status.FAILED, "SELECT INBOX → " + words, ImapHints.hint(words, null));
        }
        String exists = "?";
        String uidValidity = "?";
        for (String l : lines) {
            if (l.matches("\\* \\d+ EXISTS")) {
                exists = l.split(" ")[1];
            }
            int i = l.indexOf("UIDVALIDITY ");
            if (i >= 0) {
                uidValidity = l.substring(i + 12).replaceAll("[^0-9].*", "");
            }
        }
        return new Outcome<>(null, Status.OK, "INBOX: " + exists + " messages (UIDVALIDITY " + uidValidity + ")",
                null);
    }

    void close() {
        if (probe != null) {
            probe.close();
        }
    }
}
