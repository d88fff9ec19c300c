package org.imapra.config;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Mailbox definitions in a directory: one JSON file per definition ({@code <name>.json}), written atomically and
 * durably (temp file forced to disk, rename, directory forced), readable by the owner only, secrets encrypted with
 * AES-GCM and bound to their definition and field. A delegated sign-in ({@code <name>.tokens}) is written under its
 * {@link #signInLock(String) sign-in lock}. A corrupt or unreadable file is
 * reported by name and never overwritten; the others still load. Saves carry the version the editor started from:
 * a different stored version means someone else changed it, and the save is refused.
 */
public final class FileDefinitionStore implements DefinitionStore {

    private static final Logger LOG = Logger.getLogger(FileDefinitionStore.class.getName());
    private static final String KEY_FILE = "master.key";

    private final Path directory;
    private final SecretCipher cipher;
    private final Clock clock;
    private final Map<String, Object> signInLocks = new java.util.concurrent.ConcurrentHashMap<>();
    private final JsonWriterFactory writers = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));

    public FileDefinitionStore(Path directory, SecretCipher cipher, Clock clock) {
        this.directory = directory;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** Opens (creating, owner-only) the directory; the key from IMAPRA_MASTER_KEY or {@code master.key} in it. */
    public static FileDefinitionStore open(Path directory) throws IOException {
        return open(directory, System.getenv(SecretCipher.ENV_MASTER_KEY));
    }

    /**
     * As {@link #open(Path)} with the given IMAPRA_MASTER_KEY value (null: not set).
     *
     * @throws IOException also when there is no key but the directory holds encrypted secrets: a new key would not
     *                     decrypt them, so none is created
     */
    static FileDefinitionStore open(Path directory, String environmentKey) throws IOException {
        return new FileDefinitionStore(directory, StoreDirectory.prepare(directory, environmentKey, KEY_FILE),
                Clock.systemUTC());
    }

    public Path directory() {
        return directory;
    }

    /** The directory's absolute path. */
    @Override
    public String location() {
        return directory.toAbsolutePath().toString();
    }

    /** Loads every {@code *.json}; the errors are keyed by file path. */
    @Override
    public synchronized LoadResult loadAll() throws IOException {
        List<StoredDefinition> loaded = new ArrayList<>();
        Map<String, String> errors = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path f : files) {
                try {
                    loaded.add(read(f));
                } catch (StoreException e) {
                    errors.put(f.toString(), e.getMessage());
                    LOG.log(Level.SEVERE, e.getMessage(), e);
                }
            }
        }
        loaded.sort((a, b) -> a.definition().name().compareTo(b.definition().name()));
        return new LoadResult(loaded, errors);
    }

    @Override
    public synchronized Optional<StoredDefinition> get(String name) throws StoreException {
        Path f = file(name);
        return Files.exists(f) ? Optional.of(read(f)) : Optional.empty();
    }

    /**
     * Saves a definition (with a name).
     *
     * @param expectedVersion 0 to create; else the version the editor started from
     * @param secretChanged   whether a secret differs from the stored one (for "last changed")
     */
    @Override
    public synchronized StoredDefinition save(MailboxDefinition d, long expectedVersion, boolean secretChanged,
                                              String actor) throws StoreException {
        Path f = file(d.name());
        StoredDefinition current = Files.exists(f) ? read(f) : null;
        long currentVersion = current == null ? 0 : current.version();
        if (currentVersion != expectedVersion) {
            throw Conflicts.onSave(d.name(), current, expectedVersion);
        }
        var now = clock.instant();
        StoredDefinition next = new StoredDefinition(d, currentVersion + 1, now, actor,
                secretChanged || current == null ? now : current.secretChangedAt());
        write(f, DefinitionJson.write(next, cipher));
        return next;
    }

    @Override
    public synchronized void delete(String name, long expectedVersion) throws StoreException {
        Path f = file(name);
        StoredDefinition current = Files.exists(f) ? read(f) : null;
        if (current == null) {
            throw new StoreException("Definition '" + name + "' does not exist", true);
        }
        if (current.version() != expectedVersion) {
            throw Conflicts.onDelete(name, current);
        }
        try {
            Files.delete(f);
            Files.deleteIfExists(tokensFile(name));
            DurableFiles.syncDirectory(directory);
        } catch (IOException e) {
            throw new StoreException("Cannot delete " + f + ": " + e.getMessage(), e);
        }
    }

    @Override
    public java.time.Instant now() {
        return clock.instant();
    }

    /** Held for a whole token refresh of this definition's delegated sign-in (refresh tokens rotate). */
    @Override
    public Object signInLock(String name) {
        return signInLocks.computeIfAbsent(name, k -> new Object());
    }

    /** The delegated sign-in of a definition ({@code <name>.tokens}), if any. */
    @Override
    public synchronized Optional<SignInState> signInState(String name) throws StoreException {
        Path f = tokensFile(name);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8); JsonReader json = Json.createReader(r)) {
            return Optional.of(SignInJson.read(json.readObject(), name, cipher));
        } catch (IOException e) {
            throw new StoreException("Cannot read the sign-in file " + f + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new StoreException("The sign-in in " + f + " cannot be decrypted: it was written with another "
                    + "master key or altered; connect the mailbox again", e);
        } catch (JsonException | IllegalStateException | IllegalArgumentException | NullPointerException
                 | ClassCastException | java.time.format.DateTimeParseException e) {
            throw new StoreException("The sign-in file " + f + " is invalid (" + e.getMessage()
                    + "); connect the mailbox again", e);
        }
    }

    /**
     * Writes a new delegated sign-in (atomically, owner-only, the token cache encrypted), under the definition's
     * {@link #signInLock(String) sign-in lock}: it waits for a refresh in progress, which then cannot overwrite it.
     */
    @Override
    public void saveSignInState(String name, SignInState s) throws StoreException {
        synchronized (signInLock(name)) {
            synchronized (this) {
                write(tokensFile(name), SignInJson.write(name, s, cipher, clock.instant()));
            }
        }
    }

    /**
     * Changes the stored sign-in only if it is still the one {@code expected} was read from (same sign-in, see
     * {@link SignInState#sameSignIn}), under the sign-in lock: a refresh that started before a new sign-in (or
     * before the definition was deleted) does not overwrite it.
     *
     * @return false, writing nothing, when the stored sign-in is another one or is gone
     */
    @Override
    public boolean updateSignInState(String name, SignInState expected, java.util.function.UnaryOperator<SignInState> change)
            throws StoreException {
        synchronized (signInLock(name)) {
            synchronized (this) {
                Optional<SignInState> current = signInState(name);
                if (expected == null || current.isEmpty() || !current.get().sameSignIn(expected)) {
                    return false;
                }
                write(tokensFile(name), SignInJson.write(name, change.apply(current.get()), cipher, clock.instant()));
                return true;
            }
        }
    }

    /** One JSON line in {@code audit.log} beside the definitions. */
    @Override
    public synchronized void audit(java.time.Instant at, String actor, String action, String definition, long version,
                                   List<String> changed, String line) throws StoreException {
        Path f = directory.resolve("audit.log");
        try {
            Files.writeString(f, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new StoreException("Cannot append to the audit log " + f + ": " + e.getMessage(), e);
        }
    }

    private Path tokensFile(String name) {
        file(name);
        return directory.resolve(name + ".tokens");
    }

    private Path file(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("not a definition name: " + name);
        }
        return directory.resolve(name + ".json");
    }

    private StoredDefinition read(Path f) throws StoreException {
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8); JsonReader json = Json.createReader(r)) {
            JsonObject o = json.readObject();
            StoredDefinition s = DefinitionJson.read(o, cipher);
            if (!f.getFileName().toString().equals(s.definition().name() + ".json")) {
                throw new StoreException("The definition file " + f + " names '" + s.definition().name()
                        + "': the file name and the name inside must match", false);
            }
            return s;
        } catch (IOException e) {
            throw new StoreException("Cannot read the definition file " + f + ": " + e.getMessage(), e);
        } catch (JsonException | IllegalStateException e) {
            throw new StoreException("The definition file " + f + " is not valid JSON (" + e.getMessage()
                    + "); fix or remove it", e);
        } catch (GeneralSecurityException e) {
            throw new StoreException("The secrets in " + f + " cannot be decrypted: it was written with another "
                    + "master key (" + SecretCipher.ENV_MASTER_KEY + " or master.key), altered, or copied from another "
                    + "definition or field", e);
        } catch (IllegalArgumentException e) {
            throw new StoreException("The definition file " + f + " is invalid: " + e.getMessage(), e);
        }
    }

    private void write(Path f, JsonObject o) throws StoreException {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (Writer w = new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8);
                 JsonWriter jw = writers.createWriter(w)) {
                jw.writeObject(o);
            }
            DurableFiles.replace(f, bytes.toByteArray());
        } catch (IOException e) {
            throw new StoreException("Cannot write " + f + ": " + e.getMessage(), e);
        }
    }
}
