package org.imapra.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.lang.reflect.InvocationHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.imapra.api.MailListener;
import org.imapra.testsupport.ProxyEndpointFactory;
import org.junit.jupiter.api.Test;

/**
 * Deliveries one after another through one endpoint: each its own beforeDelivery → onMessage → afterDelivery, the
 * endpoint released at the end, and at once after a delivery that failed (the next one gets a new endpoint).
 */
class EndpointSeriesTest {

    /** Each endpoint's calls, in order; a failing subject makes onMessage throw. */
    private static final class Endpoints extends ProxyEndpointFactory {
        final List<List<String>> endpoints = new CopyOnWriteArrayList<>();

        Endpoints() {
            super("SeriesMdb", RecordingEndpoints.TestMdb.class, MailListener.class);
        }

        @Override
        protected InvocationHandler newHandler() {
            List<String> calls = new ArrayList<>();
            endpoints.add(calls);
            return (proxy, method, args) -> {
                switch (method.getName()) {
                    case "onMessage" -> {
                        String subject = ((Message) args[0]).getSubject();
                        calls.add(subject);
                        if (subject.startsWith("fail")) {
                            throw new IllegalStateException("the bean failed on " + subject);
                        }
                    }
                    case "beforeDelivery" -> calls.add("before");
                    case "afterDelivery" -> calls.add("after");
                    case "release" -> calls.add("release");
                    default -> throw new UnsupportedOperationException(method.getName());
                }
                return null;
            };
        }
    }

    private static Delivery delivery(String subject, long uid) throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setSubject(subject);
        return Delivery.of(m, new MessageKey(1, uid));
    }

    @Test
    void oneEndpointForASeriesAndANewOneAfterAFailure() throws Exception {
        Endpoints factory = new Endpoints();
        EndpointInvoker invoker = new EndpointInvoker(factory);
        List<Delivery.Result> results = new ArrayList<>();
        try (EndpointInvoker.Series series = invoker.series()) {
            for (Delivery d : List.of(delivery("a", 1), delivery("b", 2), delivery("fail c", 3), delivery("d", 4))) {
                results.add(series.deliver(d).result());
            }
        }
        assertEquals(List.of(Delivery.Result.DELIVERED, Delivery.Result.DELIVERED, Delivery.Result.FAILED,
                Delivery.Result.DELIVERED), results);
        assertEquals(List.of(
                List.of("before", "a", "after", "before", "b", "after", "before", "fail c", "after", "release"),
                List.of("before", "d", "after", "release")), factory.endpoints);
    }

    @Test
    void aSingleDeliveryHasAnEndpointOfItsOwn() throws Exception {
        Endpoints factory = new Endpoints();
        EndpointInvoker invoker = new EndpointInvoker(factory);
        assertEquals(Delivery.Result.DELIVERED, invoker.deliver(delivery("a", 1)).result());
        assertEquals(Delivery.Result.FAILED, invoker.deliver(delivery("fail b", 2)).result());
        assertEquals(List.of(List.of("before", "a", "after", "release"),
                List.of("before", "fail b", "after", "release")), factory.endpoints);
    }
}
