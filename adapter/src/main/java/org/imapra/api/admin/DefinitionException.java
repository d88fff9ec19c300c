package org.imapra.api.admin;

import jakarta.resource.ResourceException;
import java.util.List;
import java.util.Map;

/**
 * A definition could not be saved: invalid properties (one message per property), an unknown name, a taken name,
 * or a conflicting concurrent change. Never contains a secret.
 */
public class DefinitionException extends ResourceException {

    private static final long serialVersionUID = 1L;

    /** Why it failed. */
    public enum Reason { INVALID, NOT_FOUND, ALREADY_EXISTS, CONFLICT, STORAGE,
        /** A delegated sign-in was refused: unknown or used state, wrong account, code not accepted. */
        SIGN_IN }

    private final Reason reason;
    private final Map<String, List<String>> problems;

    public DefinitionException(Reason reason, String message, Map<String, List<String>> problems, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.problems = problems == null ? Map.of() : Map.copyOf(problems);
    }

    public DefinitionException(Reason reason, String message) {
        this(reason, message, null, null);
    }

    public Reason reason() {
        return reason;
    }

    /** Messages by property name (for field-level display); empty unless {@link Reason#INVALID}. */
    public Map<String, List<String>> problems() {
        return problems;
    }
}
