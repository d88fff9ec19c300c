package org.imapra.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mailbox definitions by name, as {@code getConnection("support")} and the MDB property {@code mailbox=support} use
 * them. Connection factories with a {@code mailboxName} register their definition here; the admin console's store
 * adds its own later.
 */
public final class MailboxRegistry {

    private final Map<String, MailboxDefinition> byName = new ConcurrentHashMap<>();

    /** Registers (or replaces) the definition under its {@link MailboxDefinition#name()}. */
    public void register(MailboxDefinition definition) {
        if (definition.name() == null) {
            throw new IllegalArgumentException("a definition needs a name to be registered");
        }
        byName.put(definition.name(), definition);
    }

    public void unregister(String name) {
        byName.remove(name);
    }

    public Optional<MailboxDefinition> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    /** Sorted names, for messages such as "known definitions: a, b". */
    public Set<String> names() {
        return new TreeSet<>(byName.keySet());
    }
}
