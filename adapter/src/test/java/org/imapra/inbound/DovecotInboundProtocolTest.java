package org.imapra.inbound;

import static org.imapra.inbound.InboundStandIn.MAILBOX;
import static org.imapra.inbound.InboundStandIn.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.imapra.standin.DovecotServer;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MDB delivery against a private Dovecot (dovecot-imapd) validating the stand-in's tokens: each afterDelivery mode. */
@Timeout(60)
class DovecotInboundProtocolTest extends InboundProtocolBase {
    static DovecotServer dovecot;

    @BeforeAll
    static void startDovecot() {
        dovecot = DovecotServer.start(m365, MAILBOX);
    }

    @AfterAll
    static void stopDovecot() {
        dovecot.close();
    }

    @Override
    void resetStandIn() {
        dovecot.deleteAllMailboxes();
        dovecot.createMailbox(MAILBOX);
        dovecot.createFolder(MAILBOX, "Processed");
    }

    @BeforeEach
    void pointAtDovecot() {
        spec.setImapHost(dovecot.host());
        spec.setImapPort(dovecot.imapsPort());
    }

    @Override
    void afterStop() {
        try {
            assertTrue(dovecot.awaitOpenSessionCount(0, Duration.ofSeconds(5)),
                    "Dovecot sessions left open: " + dovecot.openSessionCount());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void markSeenDeliversEveryMessageOnceInMailboxOrderAndMarksItSeen() throws Exception {
        spec.setMaxMessagesPerBatch(7);
        List<String> expected = deliver("early", 23);
        activate();
        awaitReceived(23);
        expected.addAll(deliver("late", 9));
        awaitReceived(32);
        assertEquals(expected, endpoints.subjects(), "each once, in mailbox order\n" + dovecot.log());
        await(Duration.ofSeconds(5), () -> count("INBOX", true) == 0, () -> "unseen left: " + count("INBOX", true));
        assertEquals(32, count("INBOX", false));
    }

    @Test
    void moveMovesEachDeliveredMessage() throws Exception {
        spec.setAfterDelivery("MOVE");
        spec.setMoveTo("Processed");
        List<String> mails = deliver("move", 12);
        activate();
        awaitReceived(12);
        await(Duration.ofSeconds(5), () -> count("Processed", false) == 12,
                () -> "moved: " + count("Processed", false));
        assertEquals(mails, endpoints.subjects());
        assertEquals(0, count("INBOX", false));
    }

    @Test
    void deleteExpungesEachDeliveredMessage() throws Exception {
        spec.setAfterDelivery("DELETE");
        List<String> mails = deliver("delete", 8);
        activate();
        awaitReceived(8);
        await(Duration.ofSeconds(5), () -> count("INBOX", false) == 0, () -> "left: " + count("INBOX", false));
        assertEquals(mails, endpoints.subjects());
    }

    private static List<String> deliver(String prefix, int n) {
        List<String> subjects = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String s = String.format("%s %03d", prefix, i);
            dovecot.deliver(MAILBOX, s, "body of " + s);
            subjects.add(s);
        }
        return subjects;
    }

    /** Messages in the folder (only the unseen ones if {@code unseen}), read over IMAP with a token of the app. */
    private static int count(String folder, boolean unseen) {
        Properties p = new Properties();
        p.put("mail.imaps.auth.mechanisms", "XOAUTH2");
        p.put("mail.imaps.ssl.checkserveridentity", "true");
        try (Store store = Session.getInstance(p).getStore("imaps")) {
            store.connect(dovecot.host(), dovecot.imapsPort(), MAILBOX, token());
            Folder f = store.getFolder(folder);
            f.open(Folder.READ_ONLY);
            try {
                return unseen ? f.getUnreadMessageCount() : f.getMessageCount();
            } finally {
                f.close(false);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token() throws Exception {
        String form = "grant_type=client_credentials&client_id=" + LocalM365.DEFAULT_CLIENT_ID + "&client_secret="
                + URLEncoder.encode(LocalM365.DEFAULT_CLIENT_SECRET, StandardCharsets.UTF_8) + "&scope="
                + URLEncoder.encode(LocalM365.IMAP_SCOPE, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(m365.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        String body = r.body();
        int start = body.indexOf("\"access_token\":\"") + 16;
        return body.substring(start, body.indexOf('"', start));
    }
}
