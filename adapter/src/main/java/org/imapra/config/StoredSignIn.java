package org.imapra.config;

import java.io.IOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.auth.SignInStore;

/**
 * The {@link SignInStore} of a named delegated definition in a {@link DefinitionStore}. What a refresh writes
 * (the rotated cache, "needs sign-in again") goes only into the sign-in it read: if a new sign-in replaced it in the
 * meantime, the new one is kept and the refresh's result discarded.
 */
final class StoredSignIn implements SignInStore {

    private static final Logger LOG = Logger.getLogger(StoredSignIn.class.getName());

    private final DefinitionStore store;
    private final MailboxDefinition definition;
    /** The sign-in as this object last read it: what a refresh started from. */
    private volatile SignInState seen;

    StoredSignIn(DefinitionStore store, MailboxDefinition definition) {
        this.store = store;
        this.definition = definition;
    }

    @Override
    public String key() {
        return store.location() + "#" + definition.name();
    }

    @Override
    public Object lock() {
        return store.signInLock(definition.name());
    }

    private Optional<SignInState> state() throws IOException {
        try {
            Optional<SignInState> s = store.signInState(definition.name());
            seen = s.orElse(null);
            return s;
        } catch (StoreException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public String signInRequired() throws IOException {
        Optional<SignInState> s = state();
        if (s.isEmpty()) {
            return "'" + definition.name() + "' (" + definition.userName() + ") has not been connected yet";
        }
        if (!s.get().matches(definition)) {
            return "the mailbox, tenant or app of '" + definition.name() + "' changed since " + s.get().signedInAs()
                    + " signed in";
        }
        return s.get().needsSignIn();
    }

    @Override
    public String homeAccountId() throws IOException {
        return state().map(SignInState::homeAccountId).orElse(null);
    }

    @Override
    public String loadCache() throws IOException {
        return state().map(SignInState::cache).orElse(null);
    }

    @Override
    public void saveCache(String serializedCache) throws IOException {
        SignInState from = seen;
        if (from == null) {
            throw new IOException("the sign-in of '" + definition.name() + "' was removed");
        }
        try {
            if (!store.updateSignInState(definition.name(), from, s -> s.withCache(serializedCache))) {
                LOG.info(() -> "The sign-in of '" + definition.name() + "' was replaced (or removed) while a refresh "
                        + "of the earlier one was in progress: the new sign-in is kept, the refreshed cache discarded");
            }
        } catch (StoreException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void claimRefresh() throws IOException {
        try {
            store.claimRefresh(definition.name());
        } catch (StoreException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void endRefresh() {
        store.endRefresh(definition.name());
    }

    @Override
    public void markSignInRequired(String reason) {
        try {
            SignInState from = seen != null ? seen : state().orElse(null);
            if (from != null && !store.updateSignInState(definition.name(), from,
                    s -> s.withNeedsSignIn(reason, store.now()))) {
                LOG.info(() -> "The refused refresh of '" + definition.name() + "' concerned an earlier sign-in: the "
                        + "new sign-in is not marked as needing sign-in again");
            }
        } catch (IOException | StoreException e) {
            LOG.log(Level.WARNING, "Cannot record that '" + definition.name() + "' needs sign-in again", e);
        }
    }
}
