package org.imapra.reliability;

import java.lang.reflect.Field;
import java.util.Map;
import org.imapra.ImapResourceAdapter;

/** Reads the adapter's private state for failure messages (diagnosis only; no test depends on it). */
final class Diagnose {

    private Diagnose() {
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // superclass
            }
        }
        throw new NoSuchFieldException(name);
    }

    /** The inbound connection of each activation: socket found, IDLE advertised. */
    static String watcher(ImapResourceAdapter ra) {
        StringBuilder sb = new StringBuilder();
        try {
            Map<?, ?> active = (Map<?, ?>) field(field(ra, "activations"), "active");
            for (Object activation : active.values()) {
                Object watcher = field(activation, "watcher");
                Object c = field(watcher, "connection");
                sb.append("connection=").append(c == null ? null : "open");
                if (c != null) {
                    sb.append(" socket=").append(field(c, "socket")).append(" idleSupported=")
                            .append(field(c, "idleSupported"));
                }
                Object sockets = field(watcher, "sockets");
                sb.append(" trackedSockets=").append(sockets == null ? null : field(sockets, "sockets"));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            sb.append("(cannot read: ").append(e).append(')');
        }
        return sb.toString();
    }
}
