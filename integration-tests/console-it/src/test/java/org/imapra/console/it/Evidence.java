package org.imapra.console.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Checks on what the server left behind. */
final class Evidence {

    private Evidence() {
    }

    /** No file at or under {@code path} contains any of {@code secrets} (bytes read as ISO-8859-1). */
    static void assertNotIn(Path path, List<String> secrets) throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertFalse(text.contains(secret), "a secret is in " + f);
                }
            }
        }
    }

    /** The audit log has a line by {@code actor} for each action, and names {@code property} among the changes. */
    static void assertAudited(Path auditLog, String actor, List<String> actions, String property) throws IOException {
        String audit = Files.readString(auditLog);
        for (String action : actions) {
            assertTrue(audit.contains("\"actor\":\"" + actor + "\",\"action\":\"" + action + "\""), audit);
        }
        assertTrue(audit.contains("\"" + property + "\""), "changes are logged by property name: " + audit);
    }
}
