package org.imapra.example;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/** The last messages {@link SandboxMailListener} received, newest first, for the page. In memory only. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ReceivedMail {

    static final int KEEP = 20;

    /**
     * @param key the message's origin ({@code DeliveredMessage.key()}): mailbox, folder, UIDVALIDITY and UID
     */
    public record Received(Instant at, String subject, String from, String key) {
    }

    private final Deque<Received> last = new ConcurrentLinkedDeque<>();

    public void add(Received r) {
        last.addFirst(r);
        while (last.size() > KEEP) {
            last.pollLast();
        }
    }

    public List<Received> newestFirst() {
        return new ArrayList<>(last);
    }
}
