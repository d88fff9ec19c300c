package org.imapra.inbound;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.imapra.api.DeliveredMessage;
import org.imapra.api.MailListener;
import org.imapra.testsupport.ProxyEndpointFactory;

/**
 * A MessageEndpointFactory like a container's for an MDB: each endpoint is a JDK proxy implementing
 * {@code MessageEndpoint} and {@link MailListener} that records the calls in order, reads the message (it must be
 * readable during onMessage), learns its origin with {@link DeliveredMessage#of}, then runs the test's bean.
 */
final class RecordingEndpoints extends ProxyEndpointFactory {

    /** The test's MDB body. */
    interface Bean {
        void onMessage(Message message, DeliveredMessage origin) throws Exception;
    }

    /** One successful delivery. */
    record Received(String subject, String body, DeliveredMessage origin, String thread) {
    }

    /** Stand-in for the MDB class. */
    static final class TestMdb implements MailListener {
        @Override
        public void onMessage(Message message) {
        }
    }

    private volatile Bean bean = (m, o) -> { };
    final List<Received> received = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> attemptsBySubject = new ConcurrentHashMap<>();
    final List<String> sequences = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();

    void bean(Bean b) {
        this.bean = b;
    }

    /** Subjects delivered successfully, in order. */
    List<String> subjects() {
        List<String> s = new ArrayList<>();
        received.forEach(r -> s.add(r.subject()));
        return s;
    }

    int attempts(String subject) {
        AtomicInteger a = attemptsBySubject.get(subject);
        return a == null ? 0 : a.get();
    }

    RecordingEndpoints() {
        super("TestMdb", TestMdb.class, MailListener.class);
    }

    @Override
    protected InvocationHandler newHandler() {
        return new Handler();
    }

    private final class Handler implements InvocationHandler {
        private final List<String> calls = new ArrayList<>();

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "beforeDelivery" -> {
                    expect(calls.isEmpty(), "beforeDelivery must come first");
                    expect(EndpointInvoker.ON_MESSAGE.equals(args[0]), "beforeDelivery names onMessage");
                    calls.add("before");
                    return null;
                }
                case "onMessage" -> {
                    expect(calls.equals(List.of("before")), "onMessage needs beforeDelivery: " + calls);
                    calls.add("onMessage");
                    return onMessage((Message) args[0]);
                }
                case "afterDelivery" -> {
                    expect(calls.equals(List.of("before", "onMessage")), "afterDelivery after onMessage: " + calls);
                    calls.add("after");
                    return null;
                }
                case "release" -> {
                    calls.add("release");
                    sequences.add(String.join(",", calls));
                    return null;
                }
                default -> throw new UnsupportedOperationException(method.getName());
            }
        }

        private Object onMessage(Message m) throws Exception {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            try {
                String subject = m.getSubject();
                attemptsBySubject.computeIfAbsent(subject, s -> new AtomicInteger()).incrementAndGet();
                DeliveredMessage origin = DeliveredMessage.of(m);
                Object content = ((MimeMessage) m).getContent();
                bean.onMessage(m, origin);
                received.add(new Received(subject, String.valueOf(content).strip(), origin,
                        Thread.currentThread().getName()));
                return null;
            } catch (Exception e) {
                // a container wraps what the bean throws
                throw new RuntimeException("onMessage of TestMdb failed", e);
            } finally {
                concurrent.decrementAndGet();
            }
        }

        private void expect(boolean ok, String what) {
            if (!ok) {
                violations.add(what);
            }
        }
    }
}
