package org.imapra.core;

import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.cluster.LeaseGrid;
import org.imapra.config.JdbcDefinitionStore;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.MailboxRegistry;
import org.imapra.config.StoredDefinition;

/**
 * Brings a change saved on another instance into this one, when the definitions store is shared (JDBC): with a data
 * grid, every change is announced on the topic {@value #TOPIC} (the definition's name); without one, a Work compares
 * the stored versions every {@code pollMillis}. Either way the definition is read again from the store and goes
 * through {@link DefinitionLifecycle#changedElsewhere}: registry, pooled connections retired, tokens forgotten,
 * activations restarted.
 */
final class DefinitionPropagation {

    static final String TOPIC = "imapra-definitions";
    private static final Logger LOG = Logger.getLogger(DefinitionPropagation.class.getName());

    private final JdbcDefinitionStore store;
    private final MailboxRegistry registry;
    private final DefinitionLifecycle lifecycle;
    private final LeaseGrid grid;
    private final WorkManager workManager;
    private final long pollMillis;
    private final Map<String, Long> known = new HashMap<>();
    private volatile boolean stopping;
    private volatile Runnable unsubscribe = () -> { };

    DefinitionPropagation(JdbcDefinitionStore store, MailboxRegistry registry, DefinitionLifecycle lifecycle,
                          LeaseGrid grid, WorkManager workManager, long pollMillis) {
        this.store = store;
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.grid = grid;
        this.workManager = workManager;
        this.pollMillis = pollMillis;
    }

    void start() throws WorkException {
        if (grid.shared()) {
            unsubscribe = grid.subscribe(TOPIC, this::announced);
            lifecycle.propagateWith(name -> grid.publish(TOPIC, name));
            LOG.info("Definition changes are shared with the other instances through the data grid");
            return;
        }
        synchronized (known) {
            known.putAll(versions());
        }
        lifecycle.propagateWith(this::savedHere);
        workManager.scheduleWork(new Poll(), WorkManager.INDEFINITE, null, null);
        LOG.info("Definition changes of other instances are found by reading the stored versions every "
                + pollMillis + " ms (no data grid)");
    }

    synchronized void stop() {
        stopping = true;
        notifyAll();
        try {
            unsubscribe.run();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "The data grid's topic listener could not be removed (the grid is gone)", e);
        }
    }

    /** A message of another instance: re-read the definition, in a Work (not on the grid's event thread). */
    private void announced(String name) {
        try {
            workManager.scheduleWork(new Work() {
                @Override
                public void run() {
                    reload(name);
                }

                @Override
                public void release() {
                }
            });
        } catch (WorkException e) {
            LOG.log(Level.WARNING, "Cannot apply the change of definition '" + name + "' made on another instance: "
                    + e.getMessage(), e);
        }
    }

    /** Saved on this instance: its new versions are known, so the poll does not apply it a second time. */
    private void savedHere(String name) {
        Map<String, Long> now = versions();
        synchronized (known) {
            for (String k : Set.of(name, name + "#sign-in")) {
                if (now.containsKey(k)) {
                    known.put(k, now.get(k));
                } else {
                    known.remove(k);
                }
            }
        }
    }

    private void poll() {
        Map<String, Long> now = versions();
        Set<String> changed = new HashSet<>();
        synchronized (known) {
            Set<String> keys = new HashSet<>(known.keySet());
            keys.addAll(now.keySet());
            for (String k : keys) {
                if (!Objects.equals(known.get(k), now.get(k))) {
                    changed.add(k.endsWith("#sign-in") ? k.substring(0, k.length() - "#sign-in".length()) : k);
                }
            }
            known.clear();
            known.putAll(now);
        }
        changed.forEach(this::reload);
    }

    private Map<String, Long> versions() {
        try {
            return store.versions();
        } catch (org.imapra.config.StoreException e) {
            LOG.log(Level.WARNING, e.getMessage(), e);
            synchronized (known) {
                return new HashMap<>(known); // nothing changes until the database answers again
            }
        }
    }

    private void reload(String name) {
        try {
            MailboxDefinition before = registry.find(name).orElse(null);
            MailboxDefinition after = store.get(name).map(StoredDefinition::definition).orElse(null);
            lifecycle.changedElsewhere(name, before, after);
            LOG.info("Definition '" + name + "' " + (after == null ? "deleted" : "changed") + " on another instance: "
                    + "applied here");
        } catch (org.imapra.config.StoreException | RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot apply the change of definition '" + name + "' made on another instance: "
                    + e.getMessage(), e);
        }
    }

    /** The version poll. */
    private final class Poll implements Work {
        @Override
        public void run() {
            while (true) {
                synchronized (DefinitionPropagation.this) {
                    long until = System.currentTimeMillis() + pollMillis;
                    for (long left = pollMillis; !stopping && left > 0; left = until - System.currentTimeMillis()) {
                        try {
                            DefinitionPropagation.this.wait(left);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    if (stopping) {
                        return;
                    }
                }
                poll();
            }
        }

        @Override
        public void release() {
            stop();
        }
    }
}
