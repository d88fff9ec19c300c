package org.imapra.config;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the named mailbox definitions, their delegated sign-ins and the audit log live: a directory of one instance
 * ({@link FileDefinitionStore}, the embedded default) or a database shared by the instances of a cluster
 * ({@link JdbcDefinitionStore}). Either way secrets are encrypted at rest with the master key, and a save carries the
 * version the editor started from: another stored version means someone else changed it, and the save is refused.
 */
public interface DefinitionStore {

    /** What was loaded, and what could not be (by file or row), each with its reason. */
    record LoadResult(List<StoredDefinition> definitions, Map<String, String> errors) {
    }

    /** Where the store is, for log lines and as part of cache keys ("a directory", "jdbc/x"). No secret. */
    String location();

    LoadResult loadAll() throws IOException;

    Optional<StoredDefinition> get(String name) throws StoreException;

    /**
     * Saves a definition (with a name).
     *
     * @param expectedVersion 0 to create; else the version the editor started from
     * @param secretChanged   whether a secret differs from the stored one (for "last changed")
     * @throws StoreException a conflict ({@code StoreException#conflict}) when the stored version differs
     */
    StoredDefinition save(MailboxDefinition d, long expectedVersion, boolean secretChanged, String actor)
            throws StoreException;

    void delete(String name, long expectedVersion) throws StoreException;

    /** Held (in this JVM) for a whole token refresh of this definition's delegated sign-in (refresh tokens rotate). */
    Object signInLock(String name);

    /** The delegated sign-in of a definition, if any. */
    Optional<SignInState> signInState(String name) throws StoreException;

    /** Writes a new delegated sign-in (a refresh in progress then cannot overwrite it). */
    void saveSignInState(String name, SignInState s) throws StoreException;

    /**
     * Changes the stored sign-in only if it is still the one {@code expected} was read from (same sign-in, see
     * {@link SignInState#sameSignIn}).
     *
     * @return false, writing nothing, when the stored sign-in is another one or is gone
     */
    boolean updateSignInState(String name, SignInState expected, UnaryOperator<SignInState> change)
            throws StoreException;

    /**
     * Claims the refresh of a sign-in across instances, waiting (bounded) for another instance's refresh to end: the
     * refresh token it reads next is then the newest, and nobody else presents it meanwhile. Nothing to do in a store
     * of one instance.
     *
     * @throws StoreException when the claim could not be had
     */
    default void claimRefresh(String name) throws StoreException {
    }

    /** Ends {@link #claimRefresh}: another instance may refresh this sign-in now. */
    default void endRefresh(String name) {
    }

    /** Appends an audit entry (property names only, never a secret's value). */
    void audit(Instant at, String actor, String action, String definition, long version, List<String> changed,
               String line) throws StoreException;

    Instant now();
}
