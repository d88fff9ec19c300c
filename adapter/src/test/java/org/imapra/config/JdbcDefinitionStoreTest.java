package org.imapra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared definitions store against a real PostgreSQL (a private cluster under target/, a database per test). */
class JdbcDefinitionStoreTest {

    static final String SECRET = DefinitionValidationTest.SECRET;

    DataSource ds;
    String key;
    JdbcDefinitionStore a;
    JdbcDefinitionStore b;

    @BeforeEach
    void database() throws Exception {
        ds = TestDatabases.newDatabase();
        key = TestDatabases.masterKey();
        a = JdbcDefinitionStore.open(ds, "db", key);
        b = JdbcDefinitionStore.open(ds, "db", key); // a second instance on the same database
    }

    @Test
    void definitionsRoundTripWithOptimisticVersionsAcrossInstances() throws Exception {
        MailboxDefinition d = FileDefinitionStoreTest.support();
        assertEquals(1, a.save(d, 0, true, "alice").version());
        StoredDefinition read = b.get("support").orElseThrow();
        assertEquals(d, read.definition());
        assertEquals(SECRET, read.definition().clientSecret().reveal());
        assertEquals("alice", read.updatedBy());
        MailboxDefinition changed = d.toBuilder().readTimeoutMillis(30_000).build();
        assertEquals(2, b.save(changed, 1, false, "bob").version());

        StoreException stale = assertThrows(StoreException.class, () -> a.save(d, 1, false, "alice"));
        assertTrue(stale.isConflict());
        assertTrue(stale.getMessage().contains("changed by someone else (by bob"), stale.getMessage());
        StoreException twice = assertThrows(StoreException.class, () -> a.save(d, 0, true, "carol"));
        assertTrue(twice.isConflict() && twice.getMessage().contains("already exists"), twice.getMessage());
        assertTrue(assertThrows(StoreException.class, () -> a.delete("support", 1)).isConflict());
        assertEquals(List.of("support"), a.loadAll().definitions().stream().map(s -> s.definition().name()).toList());
        assertEquals(30_000, a.get("support").orElseThrow().definition().readTimeoutMillis());

        a.delete("support", 2);
        assertTrue(b.get("support").isEmpty());
        assertTrue(b.loadAll().definitions().isEmpty());
    }

    @Test
    void theSchemaIsCreatedOnceAndVersioned() throws Exception {
        JdbcDefinitionStore.open(ds, "db", key); // a third start: nothing to migrate
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT version FROM imapra_schema")) {
            assertTrue(r.next());
            assertEquals(JdbcSchema.VERSION, r.getInt(1));
            assertFalse(r.next(), "one version row");
        }
    }

    @Test
    void noSecretIsStoredInPlainTextAndAnotherKeyReadsNothing() throws Exception {
        a.save(FileDefinitionStoreTest.support(), 0, true, "alice");
        a.saveSignInState("support", state("home-1", "2024-01-01T00:00:00Z", "{\"refresh_token\":\"rt-1-secret\"}"));
        String rows = allText();
        assertFalse(rows.contains(SECRET), rows);
        assertFalse(rows.contains(Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8))));
        assertFalse(rows.contains("rt-1-secret"), rows);
        assertTrue(rows.contains("\"clientSecret\":\"v2:"), rows);

        JdbcDefinitionStore otherKey = JdbcDefinitionStore.open(ds, "db", TestDatabases.masterKey());
        DefinitionStore.LoadResult loaded = otherKey.loadAll();
        assertTrue(loaded.definitions().isEmpty());
        assertTrue(loaded.errors().values().iterator().next().contains("cannot be decrypted"), loaded.toString());
        assertThrows(StoreException.class, () -> otherKey.signInState("support"));
        assertThrows(java.io.IOException.class, () -> JdbcDefinitionStore.open(ds, "db", null));
    }

    @Test
    void auditEntriesAreRows() throws Exception {
        a.audit(Instant.parse("2024-01-01T00:00:00Z"), "alice", "create", "support", 1, List.of("userName"), "{}");
        b.audit(Instant.parse("2024-01-01T00:01:00Z"), "bob", "update", "support", 2, List.of("readTimeoutMillis",
                "clientSecret"), "{}");
        List<String> rows = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT actor, action, definition, version, changed FROM imapra_audit ORDER BY id")) {
            while (r.next()) {
                rows.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getLong(4) + " "
                        + r.getString(5));
            }
        }
        assertEquals(List.of("alice create support 1 userName", "bob update support 2 readTimeoutMillis,clientSecret"),
                rows);
    }

    @Test
    void aRotatedCacheGoesOnlyIntoTheSignInItWasReadFrom() throws Exception {
        SignInState first = state("home-1", "2024-01-01T00:00:00Z", "{\"first\":1}");
        SignInState second = state("home-2", "2024-01-02T00:00:00Z", "{\"second\":1}");
        a.saveSignInState("support", first);
        SignInState readByA = a.signInState("support").orElseThrow();
        assertTrue(a.updateSignInState("support", readByA, s -> s.withCache("{\"first\":2}")));
        assertEquals("{\"first\":2}", b.signInState("support").orElseThrow().cache());

        b.saveSignInState("support", second); // a new sign-in on instance b
        assertFalse(a.updateSignInState("support", readByA, s -> s.withCache("{\"first\":3}")),
                "a refresh of the old sign-in overwrote the new one");
        assertEquals(second, a.signInState("support").orElseThrow());
    }

    @Test
    void twoInstancesNeverRefreshTheSameSignInAtOnce() throws Exception {
        a.saveSignInState("support", state("home-1", "2024-01-01T00:00:00Z", "{\"first\":1}"));
        a.claimRefresh("support");
        AtomicBoolean aEnded = new AtomicBoolean();
        CompletableFuture<Boolean> bClaimed = CompletableFuture.supplyAsync(() -> {
            try {
                b.claimRefresh("support"); // waits for a's refresh
                boolean after = aEnded.get();
                b.endRefresh("support");
                return after;
            } catch (StoreException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThrows(java.util.concurrent.TimeoutException.class, () -> bClaimed.get(300, TimeUnit.MILLISECONDS),
                "b claimed the sign-in while a refreshed it");
        aEnded.set(true);
        a.endRefresh("support");
        assertTrue(bClaimed.get(30, TimeUnit.SECONDS), "b's claim came before a's refresh ended");
    }

    private SignInState state(String home, String at, String cache) {
        MailboxDefinition d = FileDefinitionStoreTest.support();
        return new SignInState(d.userName(), d.tenantId(), d.clientId(), d.userName(), home, Instant.parse(at), cache,
                null, null);
    }

    /** Every column of every imapra table, as text. */
    private String allText() throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("imapra_definition", "imapra_sign_in", "imapra_audit")) {
                try (ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
                    int n = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        for (int i = 1; i <= n; i++) {
                            sb.append(r.getString(i)).append('|');
                        }
                        sb.append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }
}
