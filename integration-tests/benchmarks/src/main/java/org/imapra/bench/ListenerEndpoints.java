package org.imapra.bench;

import jakarta.mail.Message;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import javax.transaction.xa.XAResource;
import org.imapra.api.MailListener;

/**
 * A MessageEndpointFactory like a container's for an MDB: each endpoint is a JDK proxy implementing
 * {@link MessageEndpoint} and {@link MailListener} whose onMessage runs the benchmark's listener.
 */
final class ListenerEndpoints implements MessageEndpointFactory {

    /** Stands for the MDB class. */
    static final class BenchMdb implements MailListener {
        @Override
        public void onMessage(Message message) {
        }
    }

    private final MailListener bean;

    ListenerEndpoints(MailListener bean) {
        this.bean = bean;
    }

    @Override
    public MessageEndpoint createEndpoint(XAResource xaResource) {
        return endpoint();
    }

    @Override
    public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) {
        return endpoint();
    }

    @Override
    public boolean isDeliveryTransacted(Method method) {
        return false;
    }

    @Override
    public String getActivationName() {
        return "BenchMdb";
    }

    @Override
    public Class<?> getEndpointClass() {
        return BenchMdb.class;
    }

    private MessageEndpoint endpoint() {
        InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
            case "onMessage" -> {
                bean.onMessage((Message) args[0]);
                yield null;
            }
            case "beforeDelivery", "afterDelivery", "release" -> null;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "BenchMdb endpoint";
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (MessageEndpoint) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MessageEndpoint.class, MailListener.class}, h);
    }
}
