package org.imapra.outbound;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The live managed connections of a resource adapter, for the console's pool figures. */
public final class ConnectionCensus {

    private final Set<ImapManagedConnection> live = ConcurrentHashMap.newKeySet();

    void add(ImapManagedConnection mc) {
        live.add(mc);
    }

    void remove(ImapManagedConnection mc) {
        live.remove(mc);
    }

    /** Connections of the named definition that applications hold right now. */
    public int inUse(String definitionName) {
        return (int) live.stream().filter(mc -> named(mc, definitionName) && mc.handleCount() > 0).count();
    }

    /** Connections of the named definition waiting in a pool. */
    public int idle(String definitionName) {
        return (int) live.stream().filter(mc -> named(mc, definitionName) && mc.handleCount() == 0).count();
    }

    /** Retires every connection made with {@code old}: it is no longer matched and gets replaced. */
    public int retire(org.imapra.config.MailboxDefinition old) {
        int n = 0;
        for (ImapManagedConnection mc : live) {
            if (mc.definition().equals(old)) {
                mc.retire();
                n++;
            }
        }
        return n;
    }

    private static boolean named(ImapManagedConnection mc, String name) {
        return name != null && name.equals(mc.definition().name());
    }
}
