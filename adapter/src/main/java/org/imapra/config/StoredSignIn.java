package org.imapra.config;

import java.io.IOException;
import java.util.Optional;
import org.imapra.auth.SignInStore;

/** The {@link SignInStore} of a named delegated definition in a {@link FileDefinitionStore}. */
final class StoredSignIn implements SignInStore {

    private final FileDefinitionStore store;
    private final MailboxDefinition definition;

    StoredSignIn(FileDefinitionStore store, MailboxDefinition definition) {
        this.store = store;
        this.definition = definition;
    }

    @Override
    public String key() {
        return store.directory().toAbsolutePath() + "#" + definition.name();
    }

    @Override
    public Object lock() {
        return store.signInLock(definition.name());
    }

    private Optional<SignInState> state() throws IOException {
        try {
            return store.signInState(definition.name());
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
        SignInState s = state().orElseThrow(() -> new IOException("the sign-in of '" + definition.name()
                + "' was removed"));
        try {
            store.saveSignInState(definition.name(), s.withCache(serializedCache));
        } catch (StoreException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void markSignInRequired(String reason) {
        try {
            Optional<SignInState> s = state();
            if (s.isPresent()) {
                store.saveSignInState(definition.name(), s.get().withNeedsSignIn(reason, store.now()));
            }
        } catch (IOException | StoreException e) {
            java.util.logging.Logger.getLogger(StoredSignIn.class.getName()).log(java.util.logging.Level.WARNING,
                    "Cannot record that '" + definition.name() + "' needs sign-in again", e);
        }
    }
}
