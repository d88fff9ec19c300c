package org.imapra.bench;

import jakarta.mail.Message;
import java.lang.reflect.InvocationHandler;
import org.imapra.api.MailListener;
import org.imapra.testsupport.ProxyEndpointFactory;

/**
 * A MessageEndpointFactory like a container's for an MDB: each endpoint is a JDK proxy implementing
 * {@code MessageEndpoint} and {@link MailListener} whose onMessage runs the benchmark's listener.
 */
final class ListenerEndpoints extends ProxyEndpointFactory {

    /** Stands for the MDB class. */
    static final class BenchMdb implements MailListener {
        @Override
        public void onMessage(Message message) {
        }
    }

    private final MailListener bean;

    ListenerEndpoints(MailListener bean) {
        super("BenchMdb", BenchMdb.class, MailListener.class);
        this.bean = bean;
    }

    @Override
    protected InvocationHandler newHandler() {
        return (proxy, method, args) -> switch (method.getName()) {
            case "onMessage" -> {
                bean.onMessage((Message) args[0]);
                yield null;
            }
            case "beforeDelivery", "afterDelivery", "release" -> null;
            default -> throw new UnsupportedOperationException(method.getName());
        };
    }
}
