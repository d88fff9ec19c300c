package org.imapra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new delegated sign-in is never overwritten by a refresh of the sign-in it replaces. */
class SignInRaceTest {

    @TempDir
    Path dir;
    FileDefinitionStore store;
    MailboxDefinition definition;
    SignInState first;
    SignInState second;

    @BeforeEach
    void signedIn() throws Exception {
        store = FileDefinitionStore.open(dir, null);
        definition = DefinitionValidationTest.valid().name("support").authMode("DELEGATED").build();
        first = state("home-1", Instant.parse("2024-01-01T00:00:00Z"), "{\"first\":1}");
        second = state("home-2", Instant.parse("2024-01-02T00:00:00Z"), "{\"second\":1}");
        store.saveSignInState("support", first);
    }

    private SignInState state(String home, Instant at, String cache) {
        return new SignInState(definition.userName(), definition.tenantId(), definition.clientId(),
                definition.userName(), home, at, cache, null, null);
    }

    @Test
    void aRefreshWritesItsRotatedCacheIntoTheSignInItRead() throws Exception {
        StoredSignIn refresh = new StoredSignIn(store, definition);
        assertEquals(first.cache(), refresh.loadCache());
        refresh.saveCache("{\"first\":2}");
        assertEquals(first.withCache("{\"first\":2}"), store.signInState("support").orElseThrow());
        refresh.markSignInRequired("refused");
        assertEquals("refused", store.signInState("support").orElseThrow().needsSignIn());
    }

    @Test
    void aRefreshThatStartedBeforeANewSignInDoesNotOverwriteIt() throws Exception {
        StoredSignIn refresh = new StoredSignIn(store, definition);
        assertEquals(first.cache(), refresh.loadCache());
        FileDefinitionStore redeployed = FileDefinitionStore.open(dir, null);
        redeployed.saveSignInState("support", second);

        refresh.saveCache("{\"first\":2}");
        assertEquals(second, store.signInState("support").orElseThrow(), "the rotated cache of the old sign-in");
        refresh.markSignInRequired("the old refresh token was refused");
        assertNull(store.signInState("support").orElseThrow().needsSignIn(), "the new sign-in marked");
    }

    @Test
    void aNewSignInWaitsForTheRefreshInProgressAndSurvivesIt() throws Exception {
        StoredSignIn refresh = new StoredSignIn(store, definition);
        Object lock = refresh.lock();
        CompletableFuture<Void> signIn;
        synchronized (lock) {
            assertEquals(first.cache(), refresh.loadCache());
            signIn = CompletableFuture.runAsync(() -> {
                try {
                    store.saveSignInState("support", second);
                } catch (StoreException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread waiting = blockedOn(lock, signIn);
            assertTrue(waiting != null, "the new sign-in was written during the refresh");
            assertEquals(first, store.signInState("support").orElseThrow());
            refresh.saveCache("{\"first\":2}");
        }
        signIn.get(30, TimeUnit.SECONDS);
        assertEquals(second, store.signInState("support").orElseThrow());
    }

    /** The thread blocked on {@code lock}, once one is; null if {@code task} completed instead. */
    private static Thread blockedOn(Object lock, CompletableFuture<Void> task) throws InterruptedException {
        int identity = System.identityHashCode(lock);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!task.isDone() && System.nanoTime() < deadline) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(t.getId());
                if (info != null && info.getThreadState() == Thread.State.BLOCKED && info.getLockInfo() != null
                        && info.getLockInfo().getIdentityHashCode() == identity) {
                    assertEquals(Object.class.getName(), info.getLockInfo().getClassName());
                    return t;
                }
            }
            Thread.sleep(5);
        }
        return null;
    }
}
