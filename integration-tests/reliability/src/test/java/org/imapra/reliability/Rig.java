package org.imapra.reliability;

import static org.junit.jupiter.api.Assertions.assertThrows;
import org.imapra.testsupport.ThreadWorkManager;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.imapra.ImapResourceAdapter;
import org.imapra.inbound.ImapActivationSpec;
import org.imapra.outbound.ImapManagedConnectionFactory;
import org.imapra.standin.AppRegistration;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.function.Executable;

/**
 * The shared test rig: one local Microsoft 365 for the whole run (tenant, the reliability app with
 * {@link Evidence#SECRET}, the mailbox granted to it), a {@link FaultProxy} in front of its IMAPS port and one in front
 * of its token endpoint, and builders for factories and activation specs that go through both proxies.
 */
final class Rig {

    static final String TENANT = LocalM365.DEFAULT_TENANT_ID;
    static final String DOMAIN = LocalM365.DEFAULT_DOMAIN;
    static final String CLIENT = "5e1a7c3d-9b2f-4e6a-8c1d-7f3b2a9e4c10";
    static final String MAILBOX = LocalM365.DEFAULT_MAILBOX;
    /** Read timeout of the fault scenarios: small, so a stall is detected quickly. */
    static final int READ_TIMEOUT = 2_000;
    static final int CONNECT_TIMEOUT = 2_000;

    private static LocalM365 m365;
    private static FaultProxy imap;
    private static FaultProxy token;
    private static final AtomicInteger STORES = new AtomicInteger();

    private Rig() {
    }

    static synchronized LocalM365 m365() {
        if (m365 == null) {
            Evidence.install();
            deleteStoreRoot(); // the definitions stores of an earlier run
            m365 = LocalM365.builder().tenant(TENANT, DOMAIN).app(app()).mailbox(MAILBOX).grant(CLIENT, MAILBOX)
                    .start();
            try {
                imap = new FaultProxy("imap", "127.0.0.1", m365.imapsPort());
                token = new FaultProxy("token", "127.0.0.1", m365.tokens().port());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                imap.close();
                token.close();
                m365.close();
            }));
        }
        return m365;
    }

    /** The reliability app registration (single tenant, IMAP.AccessAsApp, the recognisable secret). */
    static AppRegistration app() {
        return AppRegistration.builder(CLIENT, TENANT).secret(Evidence.SECRET)
                .roles(AppRegistration.IMAP_ACCESS_AS_APP).displayName("imapra reliability").build();
    }

    static FaultProxy imapProxy() {
        m365();
        return imap;
    }

    static FaultProxy tokenProxy() {
        m365();
        return token;
    }

    /** {@code https://localhost:<token proxy>}: the authority host every scenario uses. */
    static String authorityHost() {
        return "https://localhost:" + tokenProxy().port();
    }

    /** A clean slate: no faults armed, fresh token endpoint state, the app and grant as at start, empty mailbox. */
    static void reset() throws Exception {
        LocalM365 m = m365();
        imap.pass();
        token.pass();
        imap.dropAll();
        token.dropAll();
        m.tokens().reset();
        m.tokens().tokenLifetimeSeconds(3599);
        m.tokens().directory().app(app());
        m.mailServer().grantMailbox(CLIENT, MAILBOX);
        GreenMailUser u = m.mailServer().createMailbox(MAILBOX);
        for (String f : List.of("Processed", "Errors")) {
            if (host().getFolder(u, f) == null) {
                host().createMailbox(u, f);
            }
        }
        m.mailServer().greenMail().purgeEmailFromAllMailboxes();
    }

    /** A started resource adapter on {@code ctx}, its definitions store in a fresh directory of the run. */
    static ImapResourceAdapter adapter(ThreadWorkManager ctx) {
        ImapResourceAdapter ra = new ImapResourceAdapter();
        ra.setStoreDirectory(storeRoot().resolve("store-" + STORES.incrementAndGet()).toString());
        ra.start(ctx);
        return ra;
    }

    private static void deleteStoreRoot() {
        Path root = storeRoot();
        if (!java.nio.file.Files.isDirectory(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path storeRoot() {
        return Path.of(System.getProperty("reliability.store", "target/reliability-store")).toAbsolutePath();
    }

    /** A factory for the mailbox through both proxies, on {@code ra}'s token cache and registry. */
    static ImapManagedConnectionFactory factory(ImapResourceAdapter ra) {
        ImapManagedConnectionFactory mcf = new ImapManagedConnectionFactory();
        mcf.setUserName(MAILBOX);
        mcf.setTenantId(TENANT);
        mcf.setClientId(CLIENT);
        mcf.setClientSecret(Evidence.SECRET);
        mcf.setAuthorityHost(authorityHost());
        mcf.setImapHost("localhost");
        mcf.setImapPort(imapProxy().port());
        mcf.setConnectTimeoutMillis(CONNECT_TIMEOUT);
        mcf.setReadTimeoutMillis(READ_TIMEOUT);
        if (ra != null) {
            mcf.setResourceAdapter(ra);
        }
        return Evidence.objects(mcf);
    }

    /** An inline activation spec for the mailbox through both proxies, short timeouts and back-offs. */
    static ImapActivationSpec spec(ImapResourceAdapter ra) {
        ImapActivationSpec s = new ImapActivationSpec();
        s.setUserName(MAILBOX);
        s.setTenantId(TENANT);
        s.setClientId(CLIENT);
        s.setClientSecret(Evidence.SECRET);
        s.setAuthorityHost(authorityHost());
        s.setImapHost("localhost");
        s.setImapPort(imapProxy().port());
        s.setConnectTimeoutMillis(CONNECT_TIMEOUT);
        s.setReadTimeoutMillis(READ_TIMEOUT);
        s.setRetryBackoffMillis(100L);
        s.setMaxRetryBackoffMillis(1_000L);
        if (ra != null) {
            s.setResourceAdapter(ra);
        }
        return s;
    }

    static ImapHostManager host() {
        return m365().mailServer().greenMail().getManagers().getImapHostManager();
    }

    static GreenMailUser user() {
        return m365().mailServer().createMailbox(MAILBOX);
    }

    static void deliver(String subject) {
        deliver(subject, "body of " + subject);
    }

    static void deliver(String subject, String body) {
        try {
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
            m.setFrom(new InternetAddress("sender@fabrikam.example"));
            m.setRecipients(MimeMessage.RecipientType.TO, MAILBOX);
            m.setSubject(subject, "UTF-8");
            m.setText(body, "UTF-8");
            m.setSentDate(new Date());
            m.saveChanges();
            m365().mailServer().deliver(MAILBOX, m);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static MailFolder folder(String name) {
        try {
            return "INBOX".equals(name) ? host().getInbox(user()) : host().getFolder(user(), name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Subjects in {@code folder} on the server (null {@code seen}: all). */
    static List<String> subjects(String folder, Boolean seen) {
        List<String> out = new ArrayList<>();
        MailFolder f = folder(folder);
        if (f == null) {
            return out;
        }
        List<StoredMessage> messages = null;
        for (int attempt = 0; messages == null; attempt++) {
            try {
                messages = new ArrayList<>(f.getMessages()); // a live list the server changes meanwhile
            } catch (java.util.ConcurrentModificationException e) {
                if (attempt > 50) {
                    throw e;
                }
            }
        }
        for (StoredMessage m : messages) {
            try {
                if (seen == null || m.isSet(Flags.Flag.SEEN) == seen) {
                    out.add(m.getMimeMessage().getSubject());
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** Messages in {@code folder} on the server. */
    static int count(String folder) {
        MailFolder f = folder(folder);
        return f == null ? 0 : f.getMessageCount();
    }

    static List<String> subjects(String folder) {
        return subjects(folder, null);
    }

    /** Polls every 20 ms until {@code condition}; fails after {@code timeout}. */
    static void await(Duration timeout, BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + timeout.toMillis() + " ms: " + what.get());
            }
            Thread.sleep(20);
        }
    }

    /** Like {@link #await} but returns false instead of failing. */
    static boolean within(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** assertThrows that also hands the exception to the secret hunt. */
    static <T extends Throwable> T expect(Class<T> type, Executable e) {
        return Evidence.exception(assertThrows(type, e));
    }

    static <T extends Throwable> T expect(Class<T> type, Executable e, String message) {
        return Evidence.exception(assertThrows(type, e, message));
    }

    static boolean soak() {
        return Boolean.getBoolean("soak");
    }

    /** Seconds a random-fault scenario runs: {@code quick} normally, {@code soak.seconds} with -Dsoak=true. */
    static int seconds(int quick) {
        return soak() ? Integer.getInteger("soak.seconds", 150) : quick;
    }

    /** Stacks of the live threads whose name starts with {@code prefix} (for failure messages). */
    static String stacks(String prefix) {
        StringBuilder sb = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, st) -> {
            if (t.getName().startsWith(prefix)) {
                sb.append("\n").append(t.getName()).append(':');
                for (int i = 0; i < Math.min(25, st.length); i++) {
                    sb.append("\n    at ").append(st[i]);
                }
            }
        });
        return sb.toString();
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
