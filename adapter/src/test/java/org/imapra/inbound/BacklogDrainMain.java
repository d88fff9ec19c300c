package org.imapra.inbound;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.imapra.ImapResourceAdapter;
import org.imapra.standin.LocalM365;
import org.imapra.testsupport.ThreadWorkManager;

/**
 * The child JVM of {@link BoundedMemoryBacklogTest}, run with a small heap and -XX:+ExitOnOutOfMemoryError: the
 * resource adapter drains the stand-in's backlog (defaults: IDLE, MARK_SEEN, 100 per batch) to a listener that reads
 * every part of each message, and prints {@code DONE <distinct messages delivered>} when all arrived or the time is
 * up. Arguments: authority host, IMAP host, IMAPS port, messages expected, seconds allowed.
 */
public final class BacklogDrainMain {

    private BacklogDrainMain() {
    }

    public static void main(String[] args) throws Exception {
        int expected = Integer.parseInt(args[3]);
        long deadline = System.nanoTime() + Long.parseLong(args[4]) * 1_000_000_000L;
        ImapActivationSpec spec = new ImapActivationSpec();
        spec.setUserName(LocalM365.DEFAULT_MAILBOX);
        spec.setTenantId(LocalM365.DEFAULT_TENANT_ID);
        spec.setClientId(LocalM365.DEFAULT_CLIENT_ID);
        spec.setClientSecret(LocalM365.DEFAULT_CLIENT_SECRET);
        spec.setAuthorityHost(args[0]);
        spec.setImapHost(args[1]);
        spec.setImapPort(Integer.parseInt(args[2]));
        spec.setRetryBackoffMillis(100L);
        spec.setMaxRetryBackoffMillis(400L);
        ThreadWorkManager ctx = new ThreadWorkManager("drain-work");
        ImapResourceAdapter ra = new ImapResourceAdapter();
        Path store = Files.createTempDirectory("imapra-drain");
        ra.setStoreDirectory(store.toString());
        ra.start(ctx);
        RecordingEndpoints endpoints = new RecordingEndpoints();
        AtomicLong bytes = new AtomicLong();
        endpoints.bean((m, s, o) -> {
            Multipart mp = (Multipart) m.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart p = mp.getBodyPart(i);
                try (InputStream in = p.getInputStream()) {
                    bytes.addAndGet(in.transferTo(java.io.OutputStream.nullOutputStream()));
                }
            }
        });
        spec.setResourceAdapter(ra);
        ra.endpointActivation(endpoints, spec);
        int last = -1;
        while (endpoints.unique().size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
            int n = endpoints.unique().size();
            if (n / 100 != last / 100) {
                System.out.println("delivered " + n + ", heap used " + used() + " MB");
                last = n;
            }
        }
        ra.endpointDeactivation(endpoints, spec);
        ra.stop();
        System.out.println("DONE " + endpoints.unique().size() + " bytes=" + bytes.get() + " failed="
                + endpoints.failed.get());
        System.exit(0);
    }

    private static long used() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) >> 20;
    }
}
