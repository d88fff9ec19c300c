package org.imapra.config;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The definitions, delegated sign-ins and audit log in a database the instances of a cluster share. Each row holds
 * the same JSON as the file store's files, secrets encrypted with the master key ({@code IMAPRA_MASTER_KEY}, the same
 * on every instance), so no secret is ever in a column in plain text. Saves are optimistic ({@code UPDATE ... WHERE
 * version = expected}); the sign-ins are {@link JdbcSignIns}'.
 */
public final class JdbcDefinitionStore implements DefinitionStore {

    private static final Logger LOG = Logger.getLogger(JdbcDefinitionStore.class.getName());

    private final DataSource ds;
    private final String location;
    private final SecretCipher cipher;
    private final Clock clock;
    private final JdbcSignIns signIns;

    JdbcDefinitionStore(DataSource ds, String location, SecretCipher cipher, Clock clock) {
        this.ds = ds;
        this.location = location;
        this.cipher = cipher;
        this.clock = clock;
        this.signIns = new JdbcSignIns(ds, location, cipher, clock);
    }

    /**
     * Opens the store in {@code ds} (tables created or migrated), secrets encrypted with {@code masterKey} (base64 of
     * 32 bytes, IMAPRA_MASTER_KEY).
     *
     * @throws IOException when the master key is missing or invalid, or the database refuses
     */
    public static JdbcDefinitionStore open(DataSource ds, String location, String masterKey) throws IOException {
        if (masterKey == null || masterKey.isBlank()) {
            throw new IOException(SecretCipher.ENV_MASTER_KEY + " is not set: a definitions store shared by several "
                    + "instances needs the same master key on every instance (base64 of 32 random bytes)");
        }
        SecretCipher cipher;
        try {
            cipher = SecretCipher.load(masterKey, null);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        try {
            JdbcSchema.migrate(ds);
        } catch (SQLException e) {
            throw new IOException("the imapra tables in " + location + " cannot be created or migrated: "
                    + e.getMessage(), e);
        }
        return new JdbcDefinitionStore(ds, location, cipher, Clock.systemUTC());
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public LoadResult loadAll() throws IOException {
        List<StoredDefinition> loaded = new ArrayList<>();
        Map<String, String> errors = new TreeMap<>();
        try (Connection c = ds.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT name, body FROM imapra_definition ORDER BY name");
             ResultSet r = q.executeQuery()) {
            while (r.next()) {
                try {
                    loaded.add(definition(r.getString(1), r.getString(2)));
                } catch (StoreException e) {
                    errors.put(location + "/" + r.getString(1), e.getMessage());
                    LOG.log(Level.SEVERE, e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the definitions in " + location + ": " + e.getMessage(), e);
        }
        return new LoadResult(loaded, errors);
    }

    /** Name → version of every stored definition, and of every sign-in (by "name#sign-in"): what the poll compares. */
    public Map<String, Long> versions() throws StoreException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = ds.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT name, version FROM imapra_definition "
                     + "UNION ALL SELECT name || '#sign-in', epoch FROM imapra_sign_in");
             ResultSet r = q.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), r.getLong(2));
            }
        } catch (SQLException e) {
            throw failure("read the versions", e);
        }
        return out;
    }

    @Override
    public Optional<StoredDefinition> get(String name) throws StoreException {
        try (Connection c = ds.getConnection()) {
            String body = body(c, name, false);
            return body == null ? Optional.empty() : Optional.of(definition(name, body));
        } catch (SQLException e) {
            throw failure("read definition '" + name + "'", e);
        }
    }

    @Override
    public StoredDefinition save(MailboxDefinition d, long expectedVersion, boolean secretChanged, String actor)
            throws StoreException {
        String name = JdbcRows.checked(d.name());
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                String body = body(c, name, true);
                StoredDefinition current = body == null ? null : definition(name, body);
                long currentVersion = current == null ? 0 : current.version();
                if (currentVersion != expectedVersion) {
                    throw Conflicts.onSave(name, current, expectedVersion);
                }
                Instant now = clock.instant();
                StoredDefinition next = new StoredDefinition(d, currentVersion + 1, now, actor,
                        secretChanged || current == null ? now : current.secretChangedAt());
                String json = DefinitionJson.write(next, cipher).toString();
                try (PreparedStatement u = c.prepareStatement(current == null
                        ? "INSERT INTO imapra_definition (body, version, name) VALUES (?, ?, ?)"
                        : "UPDATE imapra_definition SET body = ?, version = ? WHERE name = ?")) {
                    u.setString(1, json);
                    u.setLong(2, next.version());
                    u.setString(3, name);
                    u.executeUpdate();
                }
                c.commit();
                return next;
            } catch (SQLException e) {
                c.rollback();
                if (expectedVersion == 0 && "23505".equals(e.getSQLState())) {
                    throw new StoreException("A definition named '" + name + "' already exists", true);
                }
                throw e;
            } catch (StoreException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("save definition '" + name + "'", e);
        }
    }

    @Override
    public void delete(String name, long expectedVersion) throws StoreException {
        JdbcRows.checked(name);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                String body = body(c, name, true);
                StoredDefinition current = body == null ? null : definition(name, body);
                if (current == null) {
                    throw new StoreException("Definition '" + name + "' does not exist", true);
                }
                if (current.version() != expectedVersion) {
                    throw Conflicts.onDelete(name, current);
                }
                for (String table : List.of("imapra_definition", "imapra_sign_in")) {
                    try (PreparedStatement u = c.prepareStatement("DELETE FROM " + table + " WHERE name = ?")) {
                        u.setString(1, name);
                        u.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | StoreException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("delete definition '" + name + "'", e);
        }
    }

    @Override
    public Object signInLock(String name) {
        return signIns.lock(name);
    }

    @Override
    public Optional<SignInState> signInState(String name) throws StoreException {
        return signIns.state(name);
    }

    @Override
    public void saveSignInState(String name, SignInState s) throws StoreException {
        signIns.save(JdbcRows.checked(name), s);
    }

    /** The row is locked (SELECT ... FOR UPDATE) from the read to the write: no other instance changes it between. */
    @Override
    public boolean updateSignInState(String name, SignInState expected, UnaryOperator<SignInState> change)
            throws StoreException {
        return signIns.update(name, expected, change);
    }

    @Override
    public void claimRefresh(String name) throws StoreException {
        signIns.claim(name);
    }

    @Override
    public void endRefresh(String name) {
        signIns.end(name);
    }

    @Override
    public void audit(Instant at, String actor, String action, String definition, long version,
                      List<String> changed, String line) throws StoreException {
        JdbcRows.audit(ds, location, at, actor, action, definition, version, changed);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    private static String body(Connection c, String name, boolean forUpdate) throws SQLException {
        return JdbcRows.body(c, name, forUpdate);
    }

    private StoredDefinition definition(String name, String body) throws StoreException {
        return JdbcRows.definition(name, body, cipher, location);
    }

    private StoreException failure(String what, SQLException e) {
        return JdbcRows.failure(location, what, e);
    }
}
