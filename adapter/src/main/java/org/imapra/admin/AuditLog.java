package org.imapra.admin;

import jakarta.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Who changed which definition, when and what (property names only, never values of secrets): one JSON line per
 * change in {@code audit.log} beside the definitions, and an INFO line on the {@code org.imapra.audit} logger.
 */
final class AuditLog {

    private static final Logger AUDIT = Logger.getLogger("org.imapra.audit");
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

    private final Path file;

    AuditLog(Path directory) {
        this.file = directory.resolve("audit.log");
    }

    synchronized void record(Instant at, String actor, String action, String definition, long version,
                             List<String> changed) {
        String line = Json.createObjectBuilder().add("at", at.toString()).add("actor", actor).add("action", action)
                .add("definition", definition).add("version", version)
                .add("changed", Json.createArrayBuilder(changed)).build().toString();
        AUDIT.info(line);
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "Cannot append to the audit log " + file + ": " + line, e);
        }
    }
}
