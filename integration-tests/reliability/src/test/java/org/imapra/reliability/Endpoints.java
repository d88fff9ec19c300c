package org.imapra.reliability;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.lang.reflect.InvocationHandler;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.imapra.api.DeliveredMessage;
import org.imapra.api.MailListener;
import org.imapra.testsupport.ProxyEndpointFactory;

/**
 * A container's MessageEndpointFactory for a {@link MailListener} MDB: records each onMessage call (subject, whether
 * it returned normally), reads the message as a bean would, then runs the scenario's bean body.
 */
final class Endpoints extends ProxyEndpointFactory {

    interface Bean {
        void onMessage(Message message, String subject) throws Exception;
    }

    /** Stand-in for the MDB class. */
    static final class Mdb implements MailListener {
        @Override
        public void onMessage(Message message) {
        }
    }

    private volatile Bean bean = (m, s) -> { };
    /** Subjects whose onMessage returned normally, in order (a duplicate appears twice). */
    final List<String> delivered = new CopyOnWriteArrayList<>();
    /** Every onMessage call by subject (returned or threw). */
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** Failures of onMessage (the bean threw, or the message could not be read). */
    final AtomicInteger failed = new AtomicInteger();
    final List<String> keys = new CopyOnWriteArrayList<>();
    /** System.nanoTime() of the first successful delivery, by subject. */
    final Map<String, Long> deliveredAt = new ConcurrentHashMap<>();

    void bean(Bean b) {
        bean = b;
    }

    Set<String> unique() {
        return new LinkedHashSet<>(delivered);
    }

    int duplicates() {
        return delivered.size() - unique().size();
    }

    int calls(String subject) {
        AtomicInteger a = calls.get(subject);
        return a == null ? 0 : a.get();
    }

    List<String> subjects() {
        return new ArrayList<>(delivered);
    }

    Endpoints() {
        super("ReliabilityMdb", Mdb.class, MailListener.class);
    }

    @Override
    protected InvocationHandler newHandler() {
        return (proxy, method, args) -> switch (method.getName()) {
            case "beforeDelivery", "afterDelivery", "release" -> null;
            case "onMessage" -> onMessage((Message) args[0]);
            default -> throw new UnsupportedOperationException(method.getName());
        };
    }

    private Object onMessage(Message m) {
        String subject = null;
        try {
            subject = m.getSubject();
            calls.computeIfAbsent(subject, s -> new AtomicInteger()).incrementAndGet();
            ((MimeMessage) m).getContent(); // a bean reads its message: BODY.PEEK on the activation's connection
            keys.add(DeliveredMessage.of(m).key());
            bean.onMessage(m, subject);
            delivered.add(subject);
            deliveredAt.putIfAbsent(subject, System.nanoTime());
            return null;
        } catch (Exception e) {
            failed.incrementAndGet();
            Evidence.exception(e);
            throw new RuntimeException("onMessage failed for " + subject, e); // as a container wraps it
        }
    }
}
