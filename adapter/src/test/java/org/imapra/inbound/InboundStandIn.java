package org.imapra.inbound;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.imapra.ImapResourceAdapter;
import org.imapra.api.admin.DefinitionInput;
import org.imapra.standin.LocalM365;
import org.imapra.testsupport.ThreadWorkManager;

/** Activation specs, a resource adapter and mailbox inspection for tests against the local Microsoft 365. */
final class InboundStandIn {

    static final String MAILBOX = LocalM365.DEFAULT_MAILBOX;

    private InboundStandIn() {
    }

    /** An inline definition of the stand-in's mailbox with short timeouts and back-offs. */
    static ImapActivationSpec spec(LocalM365 m365) {
        ImapActivationSpec spec = new ImapActivationSpec();
        spec.setUserName(MAILBOX);
        spec.setTenantId(LocalM365.DEFAULT_TENANT_ID);
        spec.setClientId(LocalM365.DEFAULT_CLIENT_ID);
        spec.setClientSecret(LocalM365.DEFAULT_CLIENT_SECRET);
        spec.setAuthorityHost(m365.authorityHost());
        spec.setImapHost(m365.imapHost());
        spec.setImapPort(m365.imapsPort());
        spec.setConnectTimeoutMillis(5_000);
        spec.setReadTimeoutMillis(10_000);
        spec.setRetryBackoffMillis(100L);
        spec.setMaxRetryBackoffMillis(400L);
        return spec;
    }

    /** A started resource adapter whose WorkManager is {@code ctx}; its definitions store (if any) in {@code dir}. */
    static ImapResourceAdapter adapter(ThreadWorkManager ctx, Path dir) {
        ImapResourceAdapter ra = new ImapResourceAdapter();
        ra.setStoreDirectory(dir.toString()); // keep the definitions store out of the user's home directory
        ra.start(ctx);
        return ra;
    }

    static GreenMailUser user(LocalM365 m365) {
        return m365.mailServer().createMailbox(MAILBOX);
    }

    private static ImapHostManager host(LocalM365 m365) {
        return m365.mailServer().greenMail().getManagers().getImapHostManager();
    }

    /** Empties every folder of the mailbox and makes sure {@code folders} exist. */
    static void reset(LocalM365 m365, String... folders) throws Exception {
        GreenMailUser u = user(m365);
        for (String f : folders) {
            if (host(m365).getFolder(u, f) == null) {
                host(m365).createMailbox(u, f);
            }
        }
        m365.mailServer().greenMail().purgeEmailFromAllMailboxes();
    }

    static void deleteFolder(LocalM365 m365, String name) throws Exception {
        if (host(m365).getFolder(user(m365), name) != null) {
            host(m365).deleteMailbox(user(m365), name);
        }
    }

    static MailFolder folder(LocalM365 m365, String name) throws Exception {
        return "INBOX".equals(name) ? host(m365).getInbox(user(m365)) : host(m365).getFolder(user(m365), name);
    }

    static List<String> subjects(LocalM365 m365, String folder) throws Exception {
        List<String> out = new ArrayList<>();
        for (StoredMessage m : folder(m365, folder).getMessages()) {
            out.add(subject(m));
        }
        return out;
    }

    /** Subjects of the messages in {@code folder} with (seen true) or without \Seen. */
    static List<String> subjects(LocalM365 m365, String folder, boolean seen) throws Exception {
        List<String> out = new ArrayList<>();
        for (StoredMessage m : folder(m365, folder).getMessages()) {
            if (m.isSet(Flags.Flag.SEEN) == seen) {
                out.add(subject(m));
            }
        }
        return out;
    }

    static String subject(StoredMessage m) {
        try {
            return m.getMimeMessage().getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The console's form for a named definition of the stand-in's mailbox, app and endpoints. */
    static DefinitionInput definitionInput(LocalM365 m365, String name) {
        DefinitionInput in = new DefinitionInput();
        in.setName(name);
        in.setUserName(MAILBOX);
        in.setTenantId(LocalM365.DEFAULT_TENANT_ID);
        in.setClientId(LocalM365.DEFAULT_CLIENT_ID);
        in.setClientSecret(LocalM365.DEFAULT_CLIENT_SECRET.toCharArray());
        in.setAuthorityHost(m365.authorityHost());
        in.setImapHost(m365.imapHost());
        in.setImapPort(m365.imapsPort());
        return in;
    }

    static void deliver(LocalM365 m365, String subject) {
        m365.mailServer().deliver(MAILBOX, subject, "body of " + subject);
    }

    /** Waits (polling every 20 ms) until {@code condition} holds; fails with {@code message} after {@code timeout}. */
    static void await(Duration timeout, BooleanSupplier condition, Supplier<String> message) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + timeout.toMillis() + " ms: " + message.get());
            }
            Thread.sleep(20);
        }
    }

    /** Names of the live threads of this JVM. */
    static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).sorted()
                .toList();
    }
}
