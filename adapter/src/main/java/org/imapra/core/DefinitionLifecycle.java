package org.imapra.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.imapra.api.admin.PingReport;
import org.imapra.auth.TokenCache;
import org.imapra.config.DefinitionTokens;
import org.imapra.config.DefinitionStore;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.MailboxRegistry;

/**
 * The one operation "a named definition was saved, replaced or removed" that every path calls (console save and
 * delete, a completed sign-in, and any later source of changes): the registry serves the new definition, pooled
 * connections made with the old one are retired, its cached tokens and last ping are dropped, and listeners (the
 * inbound activations on it) restart. Persisting the change is the caller's business.
 */
public final class DefinitionLifecycle {

    /** Told after every change, e.g. to restart the activations on the definition. */
    public interface Listener {
        void definitionChanged(String name);
    }

    private final MailboxRegistry registry;
    private final ConnectionCensus census;
    private final TokenCache tokens;
    private final Map<String, PingReport> lastPings;
    private final Supplier<DefinitionStore> store;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Tells the other instances (a data-grid topic, or the version poll's bookkeeping); nothing by default. */
    private volatile java.util.function.Consumer<String> propagate = name -> { };

    DefinitionLifecycle(MailboxRegistry registry, ConnectionCensus census, TokenCache tokens,
                        Map<String, PingReport> lastPings, Supplier<DefinitionStore> store) {
        this.registry = registry;
        this.census = census;
        this.tokens = tokens;
        this.lastPings = lastPings;
        this.store = store;
    }

    void listen(Listener listener) {
        listeners.add(listener);
    }

    /**
     * @param name   the definition's name
     * @param before the definition used until now, or null when it is new
     * @param after  the definition to use from now on (may equal {@code before}, e.g. after a new sign-in), or null
     *               when it was removed
     */
    public void changed(String name, MailboxDefinition before, MailboxDefinition after) {
        apply(name, before, after);
        propagate.accept(name);
    }

    /** Another instance changed the definition in the shared store: applied here, not propagated again. */
    void changedElsewhere(String name, MailboxDefinition before, MailboxDefinition after) {
        apply(name, before, after);
    }

    void propagateWith(java.util.function.Consumer<String> propagate) {
        this.propagate = propagate;
    }

    private void apply(String name, MailboxDefinition before, MailboxDefinition after) {
        if (after != null) {
            registry.register(after);
        } else {
            registry.unregister(name);
        }
        if (before != null) {
            census.retire(before);
            org.imapra.auth.TokenRequest old = DefinitionTokens.of(before, store.get());
            tokens.forget(old);
            if (old.next() != null) {
                tokens.forget(old.next());
            }
        }
        lastPings.remove(name);
        for (Listener l : listeners) {
            l.definitionChanged(name);
        }
    }
}
