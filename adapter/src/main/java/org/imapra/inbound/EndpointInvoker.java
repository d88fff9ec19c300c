package org.imapra.inbound;

import jakarta.mail.Message;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.api.MailListener;

/**
 * Delivers messages to the MDB the JCA way: {@code createEndpoint} → {@code beforeDelivery} → {@code onMessage}
 * → {@code afterDelivery} (in finally, once beforeDelivery succeeded) → {@code release} (in finally); a
 * {@link Series} delivers several messages one after another through one endpoint before releasing it. What
 * onMessage throws, an {@link Error} too, is a failed attempt (a {@link StackOverflowError} as well), except a
 * {@link VirtualMachineError} such as OutOfMemoryError: that is {@link Delivery.Result#BROKEN}.
 */
final class EndpointInvoker {

    private static final Logger LOG = Logger.getLogger(EndpointInvoker.class.getName());
    static final Method ON_MESSAGE;

    static {
        try {
            ON_MESSAGE = MailListener.class.getMethod("onMessage", Message.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MessageEndpointFactory factory;

    EndpointInvoker(MessageEndpointFactory factory) {
        this.factory = factory;
    }

    /** One delivery through an endpoint of its own: created, used once, released. */
    Delivery deliver(Delivery d) {
        try (Series s = series()) {
            return s.deliver(d);
        }
    }

    /** Deliveries one after another through one endpoint (see {@link Series}). */
    Series series() {
        return new Series();
    }

    /**
     * Deliveries one after another (never two at once) through one endpoint, as JCA allows: created at the first
     * delivery, each delivery its own beforeDelivery → onMessage → afterDelivery, released at {@link #close()} and
     * after any delivery that did not succeed (a failed bean instance is not used again). Saves the container's
     * endpoint set-up per message (Payara: a pooled resource and a proxy each time).
     */
    final class Series implements AutoCloseable {
        private MessageEndpoint endpoint;

        Delivery deliver(Delivery d) {
            if (endpoint == null) {
                try {
                    endpoint = factory.createEndpoint(null);
                } catch (ResourceException | RuntimeException e) {
                    return d.with(Delivery.Result.UNAVAILABLE, e);
                }
            }
            Delivery result;
            try {
                result = deliverTo(endpoint, d);
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            }
            if (result.result() != Delivery.Result.DELIVERED) {
                close();
            }
            return result;
        }

        /** Releases the endpoint, if one is held. */
        @Override
        public void close() {
            MessageEndpoint e = endpoint;
            endpoint = null;
            if (e != null) {
                try {
                    e.release();
                } catch (RuntimeException ex) {
                    LOG.log(Level.FINE, "Releasing the endpoint failed: " + ex.getMessage(), ex);
                }
            }
        }
    }

    private static Delivery deliverTo(MessageEndpoint endpoint, Delivery d) {
        try {
            endpoint.beforeDelivery(ON_MESSAGE);
        } catch (NoSuchMethodException | ResourceException | RuntimeException e) {
            return d.with(Delivery.Result.UNAVAILABLE, e);
        }
        Throwable failure = null;
        try {
            ((MailListener) endpoint).onMessage(d.message());
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            try {
                endpoint.afterDelivery();
            } catch (ResourceException | RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError)) {
            // out of memory, an internal error: not the message's fault; the watcher reconnects
            return d.with(Delivery.Result.BROKEN, failure);
        }
        return failure == null ? d.with(Delivery.Result.DELIVERED, null) : d.with(Delivery.Result.FAILED, failure);
    }
}
