package org.imapra.config;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Rows of the {@link JdbcDefinitionStore}: a definition's row read (optionally locked) and decrypted, an audit line
 * appended, names checked, and the store's failures worded the same way everywhere.
 */
final class JdbcRows {

    private JdbcRows() {
    }

    /** The JSON body of definition {@code name}, or null; {@code forUpdate} locks the row until the commit. */
    static String body(Connection c, String name, boolean forUpdate) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT body FROM imapra_definition WHERE name = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            q.setString(1, name);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    /** The definition a row holds, its secrets decrypted with {@code cipher}. */
    static StoredDefinition definition(String name, String body, SecretCipher cipher, String location)
            throws StoreException {
        try {
            StoredDefinition s = DefinitionJson.read(json(body), cipher);
            if (!name.equals(s.definition().name())) {
                throw new StoreException("The definition row '" + name + "' in " + location + " names '"
                        + s.definition().name() + "'", false);
            }
            return s;
        } catch (GeneralSecurityException e) {
            throw new StoreException("The secrets of definition '" + name + "' in " + location + " cannot be "
                    + "decrypted: it was written with another master key (" + SecretCipher.ENV_MASTER_KEY + " must be "
                    + "the same on every instance), or altered", e);
        } catch (JsonException | IllegalStateException | IllegalArgumentException e) {
            throw new StoreException("The definition row '" + name + "' in " + location + " is invalid: "
                    + e.getMessage(), e);
        }
    }

    /** One line of {@code imapra_audit}: who did what to which definition, and which properties changed. */
    static void audit(DataSource ds, String location, Instant at, String actor, String action, String definition,
                      long version, List<String> changed) throws StoreException {
        try (Connection c = ds.getConnection(); PreparedStatement i = c.prepareStatement(
                "INSERT INTO imapra_audit (at, actor, action, definition, version, changed) VALUES (?, ?, ?, ?, ?, ?)")) {
            i.setString(1, at.toString());
            i.setString(2, actor);
            i.setString(3, action);
            i.setString(4, definition);
            i.setLong(5, version);
            i.setString(6, String.join(",", changed));
            i.executeUpdate();
        } catch (SQLException e) {
            throw failure(location, "append to the audit log", e);
        }
    }

    static JsonObject json(String text) {
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.readObject();
        }
    }

    static String checked(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("not a definition name: " + name);
        }
        return name;
    }

    static StoreException failure(String location, String what, SQLException e) {
        return new StoreException("Cannot " + what + " in " + location + ": " + e.getMessage(), e);
    }
}
