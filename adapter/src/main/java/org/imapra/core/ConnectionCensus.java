package org.imapra.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.imapra.config.MailboxDefinition;

/** The live pooled connections of a resource adapter, for the console's pool figures and retiring on change. */
public final class ConnectionCensus {

    private final Set<PooledConnection> live = ConcurrentHashMap.newKeySet();

    public void add(PooledConnection c) {
        live.add(c);
    }

    public void remove(PooledConnection c) {
        live.remove(c);
    }

    /** Connections of the named definition that applications hold right now. */
    public int inUse(String definitionName) {
        return (int) live.stream().filter(c -> named(c, definitionName) && c.handleCount() > 0).count();
    }

    /** Connections of the named definition waiting in a pool. */
    public int idle(String definitionName) {
        return (int) live.stream().filter(c -> named(c, definitionName) && c.handleCount() == 0).count();
    }

    /** Retires every connection made with {@code old}: it is no longer matched and gets replaced. */
    public int retire(MailboxDefinition old) {
        int n = 0;
        for (PooledConnection c : live) {
            if (c.definition().equals(old)) {
                c.retire();
                n++;
            }
        }
        return n;
    }

    private static boolean named(PooledConnection c, String name) {
        return name != null && name.equals(c.definition().name());
    }
}
