package org.imapra.config;

/** The definition store could not do what was asked; the message names the file or the definition. */
public class StoreException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean conflict;

    public StoreException(String message, boolean conflict) {
        super(message);
        this.conflict = conflict;
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
        this.conflict = false;
    }

    /** True for "already exists", "does not exist" and "changed by someone else" (not storage failures). */
    public boolean isConflict() {
        return conflict;
    }
}
