package org.imapra.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the files a credential names can be used now. Checked when a definition is saved from the console, built
 * from config properties, pinged or listed; not when it is read from the store, so that a definition whose file went
 * missing stays visible, editable and deletable.
 */
final class CredentialFiles {

    private CredentialFiles() {
    }

    /** Why the certificate file {@code path} cannot be read now, if it cannot. */
    static Optional<Problem> certificateProblem(String path) {
        try {
            Path p = Path.of(path);
            if (!Files.isRegularFile(p)) {
                return Optional.of(new Problem("certificatePath", "certificatePath '" + path + "' does not exist "
                        + "or is not a file"));
            }
            if (!Files.isReadable(p)) {
                return Optional.of(new Problem("certificatePath", "certificatePath '" + path + "' is not "
                        + "readable by the server's user"));
            }
            return Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.of(new Problem("certificatePath", "certificatePath '" + path + "' is not a valid path: "
                    + e.getReason()));
        }
    }
}
