package org.imapra.config;

/** The messages of a refused save or delete: someone else changed the definition since the editor read it. */
final class Conflicts {

    private Conflicts() {
    }

    static StoreException onSave(String name, StoredDefinition current, long expectedVersion) {
        return new StoreException(current == null
                ? "Definition '" + name + "' no longer exists: it was deleted by someone else"
                : expectedVersion == 0 ? "A definition named '" + name + "' already exists"
                : "Definition '" + name + "' was changed by someone else (by " + current.updatedBy() + " at "
                + current.updatedAt() + "): reload it and apply your change again", true);
    }

    static StoreException onDelete(String name, StoredDefinition current) {
        return new StoreException("Definition '" + name + "' was changed by someone else (by "
                + current.updatedBy() + " at " + current.updatedAt() + "): reload it before deleting", true);
    }
}
