package org.imapra.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.imapra.api.admin.MailboxProperty;
import org.imapra.auth.KeyStoreEntries;
import org.imapra.auth.PasswordAliases;

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
        return certificateProblem(MailboxProperty.CERTIFICATE_PATH, path);
    }

    /** Why the file {@code path} of {@code property} cannot be read now, if it cannot. */
    static Optional<Problem> certificateProblem(MailboxProperty property, String path) {
        String key = property.key();
        try {
            Path p = Path.of(path);
            if (!Files.isRegularFile(p)) {
                return Optional.of(new Problem(key, key + " '" + path + "' does not exist or is not a file"));
            }
            if (!Files.isReadable(p)) {
                return Optional.of(new Problem(key, key + " '" + path + "' is not readable by the server's user"));
            }
            return Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.of(new Problem(key, key + " '" + path + "' is not a valid path: " + e.getReason()));
        }
    }

    /** Why the federated token file cannot be read now (missing, unreadable, empty), if it cannot. */
    static Optional<Problem> tokenFileProblem(String path) {
        Optional<Problem> p = certificateProblem(MailboxProperty.FEDERATED_TOKEN_FILE, path);
        if (p.isPresent()) {
            return p;
        }
        try {
            return Files.size(Path.of(path)) == 0 ? Optional.of(new Problem("federatedTokenFile",
                    "federatedTokenFile '" + path + "' is empty: it must hold the external OIDC token")) : p;
        } catch (IOException e) {
            return Optional.of(new Problem("federatedTokenFile", "federatedTokenFile '" + path + "' cannot be "
                    + "read: " + e.getMessage()));
        }
    }

    /**
     * Why the key store cannot give the key entries {@code alias} and {@code nextAlias}: missing file, wrong
     * password, an alias it does not hold.
     */
    static Optional<Problem> keyStoreProblem(String path, Secret password, String alias, String nextAlias) {
        Optional<Problem> file = certificateProblem(MailboxProperty.CERTIFICATE_KEY_STORE, path);
        if (file.isPresent()) {
            return file;
        }
        char[] pw = password == null ? null : password.chars();
        Optional<String> reference = password == null ? Optional.empty() : password.aliasReference();
        if (reference.isPresent()) {
            pw = PasswordAliases.lookup(reference.get()).orElse(null);
            if (pw == null) {
                return Optional.empty(); // said by the password alias check
            }
        }
        try {
            byte[] bytes = Files.readAllBytes(Path.of(path));
            Optional<String> why = KeyStoreEntries.problem(bytes, pw, alias);
            MailboxProperty blamed = MailboxProperty.CERTIFICATE_ALIAS;
            if (why.isEmpty() && nextAlias != null) {
                why = KeyStoreEntries.problem(bytes, pw, nextAlias);
                blamed = MailboxProperty.NEXT_CERTIFICATE_ALIAS;
            }
            MailboxProperty property = why.filter(w -> w.contains("password")).isPresent()
                    ? MailboxProperty.CERTIFICATE_PASSWORD : blamed;
            return why.map(w -> new Problem(property.key(), property.key() + " does not work with "
                    + "certificateKeyStore '" + path + "': " + w));
        } catch (IOException e) {
            return Optional.of(new Problem("certificateKeyStore", "certificateKeyStore '" + path + "' cannot be "
                    + "read: " + e.getMessage()));
        } finally {
            if (pw != null) {
                java.util.Arrays.fill(pw, '\0');
            }
        }
    }
}
