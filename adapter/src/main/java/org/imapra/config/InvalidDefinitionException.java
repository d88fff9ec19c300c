package org.imapra.config;

import java.util.List;
import java.util.stream.Collectors;

/** A mailbox definition (or other configuration) is not usable; lists every problem found, each naming its property. */
public class InvalidDefinitionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<Problem> problems;

    public InvalidDefinitionException(String subject, List<Problem> problems) {
        super(subject + " is invalid: " + problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
