package org.imapra.inbound;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.logging.Level;
import org.imapra.api.MailListener;
import org.imapra.api.admin.LiveStatus;
import org.imapra.core.Activations;
import org.imapra.core.AdapterContext;

/** The resource adapter's active endpoints, by (endpoint factory, activation spec) identity. */
public final class ActivationRegistry implements Activations {

    private static final Logger LOG = Logger.getLogger(ActivationRegistry.class.getName());

    private final Map<Key, ImapActivation> active = new ConcurrentHashMap<>();
    /** One lock per endpoint: its activation, restart and deactivation never interleave. */
    private final Map<Key, Object> locks = new ConcurrentHashMap<>();
    private final AdapterContext context;

    public ActivationRegistry(AdapterContext context) {
        this.context = context;
    }

    /**
     * Validates the spec and schedules the activation's Work. Returns at once: no network access here.
     *
     * @throws ResourceException when the spec is not an {@link ImapActivationSpec}, is invalid (the message names
     *                           each property), or the adapter is not started
     */
    public void activate(MessageEndpointFactory factory, ActivationSpec spec)
            throws ResourceException {
        if (!(spec instanceof ImapActivationSpec s)) {
            throw new NotSupportedException("imapra activates MailListener endpoints configured with "
                    + ImapActivationSpec.class.getName() + ", not " + (spec == null ? null : spec.getClass().getName()));
        }
        Class<?> endpointClass = factory.getEndpointClass();
        if (endpointClass != null && !MailListener.class.isAssignableFrom(endpointClass)) {
            throw new NotSupportedException(endpointClass.getName() + " does not implement "
                    + MailListener.class.getName());
        }
        WorkManager workManager = context.workManager();
        if (workManager == null) {
            throw new ResourceException("the imapra resource adapter is not started (no WorkManager)");
        }
        InboundSettings settings = s.settings(context.registry());
        ImapActivation activation = new ImapActivation(factory, settings,
                new InboundTokens(context.rotatingTokens(), settings.definition(), context.store(),
                        context.telemetry().mailbox(settings.definition().name())), workManager, context);
        Key key = new Key(factory, spec);
        synchronized (lock(key)) {
            if (active.putIfAbsent(key, activation) != null) {
                throw new ResourceException("this endpoint is already activated with this activation spec ("
                        + settings.describe() + ")");
            }
            try {
                activation.start();
            } catch (WorkException e) {
                active.remove(key);
                throw new ResourceException("cannot schedule inbound delivery from " + settings.describe() + ": "
                        + e.getMessage(), e);
            }
        }
        LOG.fine(() -> "Activated " + factory.getActivationName() + " for " + settings.describe());
    }

    /** Stops the activation, if any, within 5 s. */
    public void deactivate(MessageEndpointFactory factory, ActivationSpec spec) {
        Key key = new Key(factory, spec);
        Object lock = lock(key);
        synchronized (lock) { // waits for a restart of this endpoint (definition changed) to finish
            ImapActivation activation = active.remove(key);
            if (activation != null) {
                activation.stop();
            }
        }
        locks.remove(key, lock);
    }

    @Override
    public void deactivateAll() {
        List<Key> keys = new ArrayList<>(active.keySet());
        for (Key k : keys) {
            deactivate(k.factory, k.spec);
        }
    }

    /**
     * The named definition changed or was deleted: every activation using it stops and starts again with the
     * definition now registered (a new connection, a new token). One whose definition is gone stays stopped, with a
     * SEVERE line naming it.
     */
    @Override
    public void definitionChanged(String definitionName) {
        for (Map.Entry<Key, ImapActivation> e : new ArrayList<>(active.entrySet())) {
            if (definitionName == null || !definitionName.equals(e.getValue().settings().definition().name())) {
                continue;
            }
            Key key = e.getKey();
            synchronized (lock(key)) { // an undeploy of this endpoint waits until it is restarted, then stops it
                if (!active.remove(key, e.getValue())) {
                    continue;
                }
                e.getValue().stop();
                try {
                    activate(key.factory, key.spec);
                    LOG.info(() -> "Restarted inbound delivery for " + key.factory.getActivationName()
                            + " after definition '" + definitionName + "' changed");
                } catch (ResourceException ex) {
                    LOG.log(Level.SEVERE, "Inbound delivery for " + key.factory.getActivationName()
                            + " stopped: definition '" + definitionName + "' changed and can no longer be used: "
                            + ex.getMessage(), ex);
                }
            }
        }
    }

    /** Live status of the activations on the named definition (activations with {@code mailbox=name}). */
    @Override
    public List<LiveStatus.Activation> statuses(String definitionName) {
        List<LiveStatus.Activation> out = new ArrayList<>();
        for (ImapActivation a : active.values()) {
            if (definitionName != null && definitionName.equals(a.settings().definition().name())) {
                out.add(a.status());
            }
        }
        return out;
    }

    private Object lock(Key key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    /** Identity of the pair, as the JCA container passes the same instances to activation and deactivation. */
    private static final class Key {
        final MessageEndpointFactory factory;
        final ActivationSpec spec;

        Key(MessageEndpointFactory factory, ActivationSpec spec) {
            this.factory = factory;
            this.spec = spec;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.factory == factory && k.spec == spec;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(factory) + System.identityHashCode(spec);
        }
    }
}
