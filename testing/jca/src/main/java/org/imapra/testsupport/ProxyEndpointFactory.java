package org.imapra.testsupport;

import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import javax.transaction.xa.XAResource;

/**
 * A MessageEndpointFactory like a container's for an MDB, without a container: each endpoint is a JDK proxy
 * implementing {@link MessageEndpoint} and the listener interface. The subclass's handler gets the endpoint's calls
 * ({@code beforeDelivery}, the listener's methods, {@code afterDelivery}, {@code release}); {@code hashCode},
 * {@code equals} and {@code toString} are answered here. Deliveries are not transacted.
 */
public abstract class ProxyEndpointFactory implements MessageEndpointFactory {

    private final String activationName;
    private final Class<?> endpointClass;
    private final Class<?> listenerInterface;

    /**
     * @param activationName    what {@link #getActivationName()} answers (also in each endpoint's toString)
     * @param endpointClass     the "MDB class" {@link #getEndpointClass()} answers
     * @param listenerInterface the message listener interface the endpoints implement
     */
    protected ProxyEndpointFactory(String activationName, Class<?> endpointClass, Class<?> listenerInterface) {
        this.activationName = activationName;
        this.endpointClass = endpointClass;
        this.listenerInterface = listenerInterface;
    }

    /** A handler for one new endpoint (it may keep that endpoint's state). */
    protected abstract InvocationHandler newHandler();

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
        return activationName;
    }

    @Override
    public Class<?> getEndpointClass() {
        return endpointClass;
    }

    private MessageEndpoint endpoint() {
        InvocationHandler calls = newHandler();
        InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> activationName + " endpoint";
            default -> calls.invoke(proxy, method, args);
        };
        return (MessageEndpoint) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MessageEndpoint.class, listenerInterface}, h);
    }
}
