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
 * Delivers one message to the MDB the JCA way: {@code createEndpoint} → {@code beforeDelivery} → {@code onMessage}
 * → {@code afterDelivery} (in finally, once beforeDelivery succeeded) → {@code release} (in finally). What
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

    Delivery deliver(Delivery d) {
        MessageEndpoint endpoint;
        try {
            endpoint = factory.createEndpoint(null);
        } catch (ResourceException | RuntimeException e) {
            return d.with(Delivery.Result.UNAVAILABLE, e);
        }
        try {
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
        } finally {
            try {
                endpoint.release();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Releasing the endpoint failed: " + e.getMessage(), e);
            }
        }
    }
}
