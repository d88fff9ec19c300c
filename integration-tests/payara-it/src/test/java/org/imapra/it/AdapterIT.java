package org.imapra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import com.icegreen.greenmail.store.MailFolder;
import org.imapra.it.app.AliasedMailboxBean;
import org.imapra.it.app.Gate;
import org.imapra.it.app.MailServlet;
import org.imapra.it.app.MailboxBean;
import org.imapra.it.app.Received;
import org.imapra.it.app.SupportMail;
import org.imapra.standin.LocalM365;
import org.imapra.standin.StandInMailServer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * imapra.rar (deployed by Micro's post-boot commands, its store holding the definition 'support') plus a WAR with an
 * MDB on 'support' and an EJB that defines
 * {@code java:app/mail/support} with {@code @ConnectionFactoryDefinition(resourceAdapter = "imapra", maxPoolSize = 2)}
 * against the local Microsoft 365 stand-in; the tests drive it over HTTP. One deployment, one Payara Micro.
 */
@ExtendWith(StandinExtension.class) // first: the stand-in and the trust store must exist before Micro starts
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdapterIT {

    private static final String MAILBOX = LocalM365.DEFAULT_MAILBOX;
    /** The IMAP session that SupportMail's inbound activation keeps open besides the pool's. */
    private static final int MDB_SESSIONS = 1;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "outbound.war")
                .addClasses(MailboxBean.class, Gate.class, MailServlet.class, SupportMail.class, Received.class,
                        AliasedMailboxBean.class);
    }

    @ArquillianResource
    private URL base;

    @Test
    @Order(1)
    void ejbReadsInboxStatusThroughThePooledConnection() throws Exception {
        StandInMailServer mail = StandinExtension.m365().mailServer();
        mail.deliver(MAILBOX, "Order 4711", "Where is my parcel?");
        mail.deliver(MAILBOX, "Invoice 0815", "Please find the invoice attached.");

        HttpResponse<String> response = get("status?folder=INBOX");

        assertEquals(200, response.statusCode(), response.body());
        MailFolder inbox = mail.greenMail().getManagers().getImapHostManager()
                .getInbox(mail.greenMail().getUserManager().getUserByEmail(MAILBOX));
        assertTrue(inbox.getMessageCount() >= 2, "the two messages are in the stand-in's INBOX");
        assertEquals("messages=" + inbox.getMessageCount() + " unseen=" + inbox.getUnseenCount(),
                withoutUidNext(response.body()));
        assertTrue(StandinExtension.m365().tokens().tokenRequestCount() >= 1,
                "Payara Micro got its token from the stand-in over HTTPS");
        assertTrue(mail.authenticatedSessionCount() >= 1, "the pool keeps the authenticated connection open");
    }

    @Test
    @Order(2)
    void thirdCallerTimesOutWhileTwoHoldThePoolAndThePoolRecovers() throws Exception {
        StandInMailServer mail = StandinExtension.m365().mailServer();
        assertEquals(200, get("arm").statusCode());
        CompletableFuture<HttpResponse<String>> first = getAsync("hold?maxMillis=60000");
        CompletableFuture<HttpResponse<String>> second = getAsync("hold?maxMillis=60000");
        try {
            awaitHeld(2, first, second);

            long start = System.nanoTime();
            HttpResponse<String> third = get("status?folder=INBOX");
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertEquals(503, third.statusCode(), third.body());
            // Payara's words: "jakarta.resource.spi.ResourceAllocationException: Error in allocating a connection.
            // Cause: In-use connections equal max-pool-size and expired max-wait-time. ..."
            assertTrue(third.body().startsWith("jakarta.resource.spi.ResourceAllocationException"), third.body());
            assertTrue(third.body().contains("expired max-wait-time"), third.body());
            assertTrue(waitedMillis >= MailboxBean.MAX_WAIT_MILLIS - 200,
                    "the third caller waited for a free connection: " + waitedMillis + " ms");
            assertTrue(waitedMillis < MailboxBean.MAX_WAIT_MILLIS + 10_000,
                    "the third caller got its error soon after the max wait: " + waitedMillis + " ms");
            assertTrue(mail.openSessionCount() <= MailboxBean.MAX_POOL_SIZE + MDB_SESSIONS,
                    "never more IMAP sessions than maxPoolSize (+ the MDB's one): " + mail.openSessionCount());
        } finally {
            get("release");
        }
        HttpResponse<String> r1 = first.get(30, TimeUnit.SECONDS);
        HttpResponse<String> r2 = second.get(30, TimeUnit.SECONDS);
        assertEquals(200, r1.statusCode(), r1.body());
        assertEquals(200, r2.statusCode(), r2.body());

        // Usable again, and nothing leaked: both connections can be held at once again
        HttpResponse<String> after = get("status?folder=INBOX");
        assertEquals(200, after.statusCode(), after.body());
        assertEquals(200, get("arm").statusCode());
        CompletableFuture<HttpResponse<String>> again1 = getAsync("hold?maxMillis=60000");
        CompletableFuture<HttpResponse<String>> again2 = getAsync("hold?maxMillis=60000");
        try {
            awaitHeld(2, again1, again2);
        } finally {
            get("release");
        }
        assertEquals(200, again1.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(200, again2.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals("0", get("held").body());
        assertTrue(mail.openSessionCount() <= MailboxBean.MAX_POOL_SIZE + MDB_SESSIONS,
                "no connection beyond the pool's (+ the MDB's one): " + mail.openSessionCount());
    }

    private void awaitHeld(int expected, CompletableFuture<?>... holders) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String held;
        while (!(held = get("held").body()).equals(Integer.toString(expected))) {
            for (CompletableFuture<?> h : holders) {
                if (h.isDone()) {
                    throw new AssertionError("a holder ended early: " + ((HttpResponse<?>) h.get()).body());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + held + " of " + expected + " callers got a connection");
            }
            Thread.sleep(100);
        }
    }

    private static String withoutUidNext(String body) {
        return body.replaceAll(" uidNext=\\d+", "");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return HTTP.sendAsync(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(base + "mail/" + path)).timeout(Duration.ofSeconds(90)).build();
    }

    @Test
    @Order(3)
    void anMdbReceivesMailSentOverSmtpAndTheMailEndsUpInMoveTo() throws Exception {
        StandInMailServer mail = StandinExtension.m365().mailServer();
        java.util.Properties p = new java.util.Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", Integer.toString(StandinExtension.m365().smtpPort()));
        jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(p));
        m.setFrom("customer@fabrikam.example");
        m.setRecipients(jakarta.mail.Message.RecipientType.TO, MAILBOX);
        m.setSubject("[mdb] parcel 42");
        m.setText("Where is parcel 42?");
        jakarta.mail.Transport.send(m);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        var greenMail = mail.greenMail();
        var user = greenMail.getUserManager().getUserByEmail(MAILBOX);
        MailFolder processed = greenMail.getManagers().getImapHostManager().getFolder(user, "Processed");
        while (processed.getMessageCount() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(1, processed.getMessageCount(), "the delivered mail was moved to Processed");
        assertEquals("[mdb] parcel 42", processed.getMessages().get(0).getMimeMessage().getSubject());
        assertEquals("[mdb] parcel 42", get("received").body().strip(), "the MDB's onMessage saw it");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        assertTrue(inbox.getMessages().stream().noneMatch(s -> {
            try {
                return s.getMimeMessage().getSubject().startsWith("[mdb]");
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }), "nothing of it is left in INBOX");
    }

    /**
     * Payara password aliases: the post-boot commands create {@value AliasedMailboxBean#ALIAS} holding the app's
     * secret; a connection factory property {@code clientSecret=${ALIAS=...}} and a stored definition whose
     * clientSecret is that reference both authenticate (an unresolved reference would be sent as the secret and
     * refused with AADSTS7000215).
     */
    @Test
    @Order(20)
    void aPayaraPasswordAliasServesAsTheClientSecret() throws Exception {
        HttpResponse<String> property = get("aliased");
        assertEquals(200, property.statusCode(), property.body());
        assertTrue(property.body().startsWith("messages="), property.body());
        HttpResponse<String> stored = get("aliased-stored");
        assertEquals(200, stored.statusCode(), stored.body());
        assertTrue(stored.body().startsWith("messages="), stored.body());
    }
}
