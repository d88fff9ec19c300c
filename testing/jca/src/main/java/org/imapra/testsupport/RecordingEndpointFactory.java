package org.imapra.testsupport;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A container's MessageEndpointFactory for an MDB whose listener interface has {@code onMessage(Message)}: each
 * endpoint records its calls in order (the JCA contract: {@code beforeDelivery} naming onMessage, onMessage,
 * {@code afterDelivery}, for one delivery or several one after another, then {@code release}), and each onMessage reads the message as a bean would (it must be readable
 * during onMessage), learns its origin with the subclass's function, runs the test's bean and records the outcome.
 * What the bean or the reading throws is wrapped in a RuntimeException, as a container wraps it.
 *
 * @param <O> what the origin function makes of a delivered message (the adapter's {@code DeliveredMessage})
 */
public abstract class RecordingEndpointFactory<O> extends ProxyEndpointFactory {

    /** The test's MDB body. */
    public interface Bean<O> {
        void onMessage(Message message, String subject, O origin) throws Exception;
    }

    /** One delivery whose onMessage returned normally; {@code at} is its System.nanoTime(). */
    public record Received<O>(String subject, String body, O origin, String thread, long at) {
    }

    private final Function<Message, O> origin;
    private final Method onMessage;
    private volatile Bean<O> bean = (m, s, o) -> { };
    /** Successful deliveries, in order (a duplicate appears twice). */
    public final List<Received<O>> received = new CopyOnWriteArrayList<>();
    /** Every onMessage call whose message had a subject, by subject (returned or threw). */
    public final Map<String, AtomicInteger> attemptsBySubject = new ConcurrentHashMap<>();
    /** onMessage calls that threw (the bean threw, or the message could not be read). */
    public final AtomicInteger failed = new AtomicInteger();
    /** The calls of each released endpoint, comma-separated. */
    public final List<String> sequences = new CopyOnWriteArrayList<>();
    /** Breaches of the JCA call order. */
    public final List<String> violations = new CopyOnWriteArrayList<>();
    public final AtomicInteger concurrent = new AtomicInteger();
    public final AtomicInteger maxConcurrent = new AtomicInteger();

    /**
     * @param listenerInterface has {@code onMessage(jakarta.mail.Message)}
     * @param origin            what a delivered message says of where it comes from (called during onMessage)
     */
    protected RecordingEndpointFactory(String activationName, Class<?> endpointClass, Class<?> listenerInterface,
            Function<Message, O> origin) {
        super(activationName, endpointClass, listenerInterface);
        this.origin = origin;
        try {
            this.onMessage = listenerInterface.getMethod("onMessage", Message.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(listenerInterface + " has no onMessage(Message)", e);
        }
    }

    /** Sees each exception of a failed onMessage before it is wrapped and thrown; nothing by default. */
    protected void onFailure(Exception e) {
    }

    public void bean(Bean<O> b) {
        this.bean = b;
    }

    /** Subjects delivered successfully, in order (a duplicate appears twice). */
    public List<String> subjects() {
        List<String> s = new ArrayList<>();
        received.forEach(r -> s.add(r.subject()));
        return s;
    }

    /** Subjects delivered successfully, each once, in the order of their first delivery. */
    public Set<String> unique() {
        return new LinkedHashSet<>(subjects());
    }

    /** Successful deliveries of a message already delivered. */
    public int duplicates() {
        return received.size() - unique().size();
    }

    /** onMessage calls for {@code subject}, returned or threw. */
    public int attempts(String subject) {
        AtomicInteger a = attemptsBySubject.get(subject);
        return a == null ? 0 : a.get();
    }

    /** System.nanoTime() of the first successful delivery, by subject. */
    public Map<String, Long> deliveredAt() {
        Map<String, Long> at = new LinkedHashMap<>();
        received.forEach(r -> at.putIfAbsent(r.subject(), r.at()));
        return at;
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
                    expect(calls.isEmpty() || last().equals("after"), "beforeDelivery comes first, or after the "
                            + "previous delivery's afterDelivery: " + calls);
                    expect(onMessage.equals(args[0]), "beforeDelivery names onMessage");
                    calls.add("before");
                    return null;
                }
                case "onMessage" -> {
                    expect(last().equals("before"), "onMessage needs beforeDelivery: " + calls);
                    calls.add("onMessage");
                    return onMessage((Message) args[0]);
                }
                case "afterDelivery" -> {
                    expect(last().equals("onMessage"), "afterDelivery after onMessage: " + calls);
                    calls.add("after");
                    return null;
                }
                case "release" -> {
                    expect(calls.isEmpty() || last().equals("after"), "release between deliveries: " + calls);
                    calls.add("release");
                    sequences.add(String.join(",", calls));
                    return null;
                }
                default -> throw new UnsupportedOperationException(method.getName());
            }
        }

        private String last() {
            return calls.isEmpty() ? "" : calls.get(calls.size() - 1);
        }

        private Object onMessage(Message m) {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            String subject = null;
            try {
                subject = m.getSubject();
                attemptsBySubject.computeIfAbsent(subject, s -> new AtomicInteger()).incrementAndGet();
                O o = origin.apply(m);
                Object content = ((MimeMessage) m).getContent(); // BODY.PEEK on the activation's connection
                bean.onMessage(m, subject, o);
                received.add(new Received<>(subject, String.valueOf(content).strip(), o,
                        Thread.currentThread().getName(), System.nanoTime()));
                return null;
            } catch (Exception e) {
                failed.incrementAndGet();
                onFailure(e);
                // a container wraps what the bean throws
                throw new RuntimeException("onMessage of " + getActivationName() + " failed for " + subject, e);
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
