package org.imapra.admin;

import jakarta.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.config.DefinitionStore;
import org.imapra.config.StoreException;

/**
 * Who changed which definition, when and what (property names only, never values of secrets): one JSON line per
 * change in the definitions store ({@code audit.log} beside the files, or the database's audit table), and an INFO
 * line on the {@code org.imapra.audit} logger.
 */
final class AuditLog {

    private static final Logger AUDIT = Logger.getLogger("org.imapra.audit");
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

    private final DefinitionStore store;

    AuditLog(DefinitionStore store) {
        this.store = store;
    }

    synchronized void record(Instant at, String actor, String action, String definition, long version,
                             List<String> changed) {
        String line = Json.createObjectBuilder().add("at", at.toString()).add("actor", actor).add("action", action)
                .add("definition", definition).add("version", version)
                .add("changed", Json.createArrayBuilder(changed)).build().toString();
        AUDIT.info(line);
        try {
            store.audit(at, actor, action, definition, version, changed, line);
        } catch (StoreException e) {
            LOG.log(Level.SEVERE, e.getMessage() + ": " + line, e);
        }
    }
}
