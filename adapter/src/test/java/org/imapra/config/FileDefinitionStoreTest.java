package org.imapra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDefinitionStoreTest {

    static final String SECRET = DefinitionValidationTest.SECRET;

    @TempDir
    Path dir;

    static MailboxDefinition support() {
        return DefinitionValidationTest.valid().name("support").build();
    }

    @Test
    void roundTripAndRestartKeepEveryValue() throws Exception {
        FileDefinitionStore store = FileDefinitionStore.open(dir);
        MailboxDefinition d = support().toBuilder().cloud("USGOV").imapPort(1993).authorityHost("https://login.example:8443")
                .scope("https://outlook.office365.us/.default").httpsProxy("proxy.example:3128").build();
        StoredDefinition saved = store.save(d, 0, true, "alice");
        assertEquals(1, saved.version());
        StoredDefinition reloaded = FileDefinitionStore.open(dir).get("support").orElseThrow();
        assertEquals(d, reloaded.definition());
        assertEquals(SECRET, reloaded.definition().clientSecret().reveal());
        assertEquals("alice", reloaded.updatedBy());
        assertEquals(1, reloaded.version());
    }

    @Test
    void secretsAreEncryptedAtRestAndFilesAreOwnerOnly() throws Exception {
        FileDefinitionStore.open(dir).save(support(), 0, true, "alice");
        Path file = dir.resolve("support.json");
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertFalse(text.contains(SECRET), text);
        assertFalse(text.contains(Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8))));
        assertTrue(text.contains("\"clientSecret\": \"v2:") || text.contains("\"clientSecret\":\"v2:"), text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("master.key"))));
    }

    @Test
    void anotherMasterKeyCannotReadTheSecretsAndSaysSo() throws Exception {
        FileDefinitionStore.open(dir).save(support(), 0, true, "alice");
        byte[] other = new byte[32];
        other[0] = 1;
        SecretCipher wrong = SecretCipher.load(Base64.getEncoder().encodeToString(other), dir.resolve("unused"));
        StoreException e = assertThrows(StoreException.class,
                () -> new FileDefinitionStore(dir, wrong, java.time.Clock.systemUTC()).get("support"));
        assertTrue(e.getMessage().contains("another master key") && e.getMessage().contains("support.json"),
                e.getMessage());
    }

    @Test
    void aCorruptFileIsNamedTheOthersLoadAndNothingOverwritesIt() throws Exception {
        FileDefinitionStore store = FileDefinitionStore.open(dir);
        store.save(support(), 0, true, "alice");
        Path broken = dir.resolve("sales.json");
        Files.writeString(broken, "{\"name\": \"sales\", ");
        DefinitionStore.LoadResult all = store.loadAll();
        assertEquals(1, all.definitions().size());
        assertTrue(all.errors().get(broken.toString()).contains("sales.json"), all.errors().toString());
        MailboxDefinition sales = support().toBuilder().name("sales").build();
        StoreException e = assertThrows(StoreException.class, () -> store.save(sales, 0, true, "bob"));
        assertTrue(e.getMessage().contains("sales.json"), e.getMessage());
        assertEquals("{\"name\": \"sales\", ", Files.readString(broken));
    }

    @Test
    void theSecondOfTwoEditsFromTheSameVersionIsRefusedNotLost() throws Exception {
        FileDefinitionStore store = FileDefinitionStore.open(dir);
        store.save(support(), 0, true, "alice");
        store.save(support().toBuilder().imapPort(1993).build(), 1, false, "alice");
        StoreException e = assertThrows(StoreException.class,
                () -> store.save(support().toBuilder().imapPort(2993).build(), 1, false, "bob"));
        assertTrue(e.getMessage().contains("changed by someone else") && e.getMessage().contains("alice"),
                e.getMessage());
        assertEquals(1993, store.get("support").orElseThrow().definition().imapPort());
        assertThrows(StoreException.class, () -> store.save(support(), 0, true, "carol"), "already exists");
        assertThrows(StoreException.class, () -> store.delete("support", 1), "stale delete");
        store.delete("support", 2);
        assertTrue(store.get("support").isEmpty());
    }

    @Test
    void concurrentWritersFromOneVersionProduceExactlyOneWinner() throws Exception {
        FileDefinitionStore store = FileDefinitionStore.open(dir);
        store.save(support(), 0, true, "alice");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int port = 2000 + i;
            results.add(pool.submit(() -> {
                go.await();
                try {
                    store.save(support().toBuilder().imapPort(port).build(), 1, false, "writer" + port);
                    return true;
                } catch (StoreException conflict) {
                    return false;
                }
            }));
        }
        go.countDown();
        int winners = 0;
        for (Future<Boolean> f : results) {
            winners += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, winners);
        assertEquals(2, store.get("support").orElseThrow().version());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".tmp")).toList(), "temp files left");
        }
    }

    @Test
    void aSecretMovedToAnotherDefinitionOrFieldIsRefused() throws Exception {
        FileDefinitionStore store = FileDefinitionStore.open(dir);
        store.save(support(), 0, true, "alice");
        store.save(support().toBuilder().name("sales").clientSecret("Sales~Secret.Value_abcdefghijklmnopqrst").build(),
                0, true, "alice");
        store.saveSignInState("support", new SignInState("a@b.example", "t", "c", "a@b.example", "home",
                java.time.Instant.EPOCH, "{\"cache\":1}", null, null));
        Path support = dir.resolve("support.json");
        String original = Files.readString(support);
        String own = secretIn(support);
        Path tokens = dir.resolve("support.tokens");
        String cache = jakarta.json.Json.createReader(Files.newBufferedReader(tokens)).readObject().getString("cache");

        Files.writeString(support, original.replace(own, secretIn(dir.resolve("sales.json"))));
        StoreException swapped = assertThrows(StoreException.class, () -> store.get("support"));
        assertTrue(swapped.getMessage().contains("support.json"), swapped.getMessage());

        Files.writeString(support, original.replace(own, cache));
        assertThrows(StoreException.class, () -> store.get("support"), "the sign-in cache as a client secret");

        Files.writeString(support, original);
        assertEquals(SECRET, store.get("support").orElseThrow().definition().clientSecret().reveal());
    }

    @Test
    void aFileWrittenBeforeSecretsWereBoundStillLoadsAndIsRewrittenBound() throws Exception {
        FileDefinitionStore store = FileDefinitionStore.open(dir);
        store.save(support(), 0, true, "alice");
        Path file = dir.resolve("support.json");
        String v1 = "v1:" + legacyEncrypt(SECRET);
        Files.writeString(file, Files.readString(file).replace("\"format\": 2", "\"format\": 1")
                .replace(secretIn(file), v1));

        StoredDefinition old = store.get("support").orElseThrow();
        assertEquals(SECRET, old.definition().clientSecret().reveal());
        store.save(old.definition(), old.version(), false, "alice");
        assertTrue(secretIn(file).startsWith("v2:"), secretIn(file));
        assertEquals(SECRET, store.get("support").orElseThrow().definition().clientSecret().reveal());

        Files.writeString(file, Files.readString(file).replace(secretIn(file), v1));
        assertThrows(StoreException.class, () -> store.get("support"), "an unbound secret in a bound file");
    }

    private static String secretIn(Path file) throws Exception {
        try (var r = jakarta.json.Json.createReader(Files.newBufferedReader(file))) {
            return r.readObject().getString("clientSecret");
        }
    }

    /** A value as the earlier format wrote it: AES-GCM with the store's key and no associated data. */
    private String legacyEncrypt(String plain) throws Exception {
        byte[] key = Base64.getDecoder().decode(Files.readString(dir.resolve("master.key")).strip());
        byte[] iv = new byte[12];
        iv[0] = 7;
        javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, iv));
        byte[] out = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
        byte[] all = new byte[12 + out.length];
        System.arraycopy(iv, 0, all, 0, 12);
        System.arraycopy(out, 0, all, 12, out.length);
        return Base64.getEncoder().encodeToString(all);
    }

    @Test
    void withoutItsKeyAStoreWithSecretsRefusesToOpenAndCreatesNoNewKey() throws Exception {
        FileDefinitionStore.open(dir, null).save(support(), 0, true, "alice");
        Files.delete(dir.resolve("master.key"));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> FileDefinitionStore.open(dir, null));
        assertTrue(e.getMessage().contains("IMAPRA_MASTER_KEY is not set") && e.getMessage().contains("support.json")
                && e.getMessage().contains("none is created"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("master.key")), "a new key was created");
        assertFalse(Files.readString(dir.resolve("support.json")).isEmpty());
    }

    @Test
    void aStoreWithoutSecretsGetsANewKeyOwnerOnlyAndNoTempFileStays() throws Exception {
        Path pem = Files.writeString(dir.resolve("app.pem"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        Path store = dir.resolve("store");
        FileDefinitionStore.open(store, null).save(support().toBuilder().clientSecret((String) null)
                .certificatePath(pem.toString()).build(), 0, true, "alice");
        Files.delete(store.resolve("master.key"));
        FileDefinitionStore reopened = FileDefinitionStore.open(store, null);
        assertEquals(pem.toString(), reopened.get("support").orElseThrow().definition().certificatePath());
        String key = Files.readString(store.resolve("master.key"));
        assertEquals(32, Base64.getDecoder().decode(key.strip()).length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.resolve("master.key"))));
        try (var files = Files.list(store)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".")).toList());
        }
        assertEquals(key, Files.readString(store.resolve("master.key")), "the key is not replaced on the next open");
        FileDefinitionStore.open(store, null);
        assertEquals(key, Files.readString(store.resolve("master.key")));
    }
}
