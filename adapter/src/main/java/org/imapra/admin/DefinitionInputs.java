package org.imapra.admin;

import static org.imapra.api.admin.MailboxProperty.CERTIFICATE_KEY_STORE;
import static org.imapra.api.admin.MailboxProperty.CERTIFICATE_PASSWORD;
import static org.imapra.api.admin.MailboxProperty.CERTIFICATE_PATH;
import static org.imapra.api.admin.MailboxProperty.CLIENT_SECRET;
import static org.imapra.api.admin.MailboxProperty.CREDENTIAL;
import static org.imapra.api.admin.MailboxProperty.FEDERATED_TOKEN_FILE;
import static org.imapra.api.admin.MailboxProperty.NEXT_CLIENT_SECRET;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.imapra.api.admin.DefinitionException;
import org.imapra.api.admin.DefinitionInput;
import org.imapra.api.admin.DefinitionView;
import org.imapra.api.admin.MailboxProperty;
import org.imapra.config.SignInState;
import org.imapra.config.DefinitionBuilder;
import org.imapra.config.InvalidDefinitionException;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.Problem;
import org.imapra.config.Secret;
import org.imapra.config.StoredDefinition;

/** Converts between the console's forms ({@link DefinitionInput}, {@link DefinitionView}) and definitions. */
final class DefinitionInputs {

    private DefinitionInputs() {
    }

    /** A builder from the form; empty secrets are taken from {@code keep} (the stored definition), if any. */
    static DefinitionBuilder builder(DefinitionInput in, MailboxDefinition keep) {
        DefinitionBuilder b = MailboxDefinition.builder().name(in.getName());
        for (MailboxProperty p : MailboxProperty.values()) {
            Object v = in.get(p);
            if (p.secret()) {
                char[] chars = (char[]) v;
                v = chars == null || chars.length == 0 ? null : Secret.of(new String(chars));
            }
            b.set(p, v);
        }
        if (keep != null) {
            for (MailboxProperty kept : kept(in)) {
                if (empty(in, kept)) {
                    b.set(kept, keep.value(kept));
                }
            }
            // the stored next secret typed as the current one: the rotation is complete, no next is left
            Object next = keep.value(NEXT_CLIENT_SECRET);
            if (next != null && empty(in, NEXT_CLIENT_SECRET) && !empty(in, CLIENT_SECRET)
                    && next.equals(Secret.of(new String((char[]) in.get(CLIENT_SECRET))))) {
                b.set(NEXT_CLIENT_SECRET, null);
            }
        }
        return b;
    }

    /** The secrets an empty field keeps: those of the kind of credential the form uses. */
    private static List<MailboxProperty> kept(DefinitionInput in) {
        if ("FEDERATED".equalsIgnoreCase(text(in, CREDENTIAL)) || text(in, FEDERATED_TOKEN_FILE) != null) {
            return List.of();
        }
        boolean certificate = text(in, CERTIFICATE_PATH) != null || text(in, CERTIFICATE_KEY_STORE) != null
                || "CERTIFICATE".equalsIgnoreCase(text(in, CREDENTIAL));
        return certificate ? List.of(CERTIFICATE_PASSWORD) : List.of(CLIENT_SECRET, NEXT_CLIENT_SECRET);
    }

    private static String text(DefinitionInput in, MailboxProperty p) {
        Object v = in.get(p);
        return v instanceof String s && !s.isBlank() ? s : null;
    }

    private static boolean empty(DefinitionInput in, MailboxProperty secret) {
        char[] v = (char[]) in.get(secret);
        return v == null || v.length == 0;
    }

    static MailboxDefinition build(DefinitionInput in, MailboxDefinition keep) throws DefinitionException {
        try {
            MailboxDefinition d = builder(in, keep).build();
            if (d.name() == null) {
                throw invalid(List.of(new Problem("name", "name is required: applications use it, e.g. "
                        + "getConnection(\"support\")")));
            }
            refuseStoredSecretForNewDestination(in, keep, d);
            return d;
        } catch (InvalidDefinitionException e) {
            throw invalid(e.problems());
        }
    }

    /**
     * A stored secret is reused only while everything that decides where it (or a token made with it) is sent stays
     * as it was: after a change of a {@link MailboxProperty#routing() routing} property the secret must be entered
     * again, so that editing a definition can never send the stored credential to another host.
     */
    private static void refuseStoredSecretForNewDestination(DefinitionInput in, MailboxDefinition keep,
                                                            MailboxDefinition d) throws DefinitionException {
        if (keep == null) {
            return;
        }
        List<String> moved = new ArrayList<>();
        for (MailboxProperty p : MailboxProperty.values()) {
            if (p.routing() && !Objects.equals(keep.value(p), d.value(p))) {
                moved.add(p.key());
            }
        }
        if (moved.isEmpty()) {
            return;
        }
        List<Problem> problems = new ArrayList<>();
        for (MailboxProperty secret : List.of(CLIENT_SECRET, NEXT_CLIENT_SECRET, CERTIFICATE_PASSWORD)) {
            char[] typed = (char[]) in.get(secret);
            boolean reused = (typed == null || typed.length == 0) && d.value(secret) != null;
            if (reused) {
                problems.add(new Problem(secret.key(), "Enter the " + secret.key() + " again: "
                        + String.join(", ", moved) + " changed, and a stored secret is never sent to a new "
                        + "destination"));
            }
        }
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
    }

    static DefinitionException invalid(List<Problem> problems) {
        Map<String, List<String>> byProperty = new LinkedHashMap<>();
        for (Problem p : problems) {
            byProperty.computeIfAbsent(p.property(), k -> new ArrayList<>()).add(p.message());
        }
        return new DefinitionException(DefinitionException.Reason.INVALID, "The definition is invalid: "
                + String.join("; ", problems.stream().map(Problem::message).toList()), byProperty, null);
    }

    static boolean secretChanged(MailboxDefinition before, MailboxDefinition after) {
        return before == null || !Objects.equals(before.clientSecret(), after.clientSecret())
                || !Objects.equals(before.nextClientSecret(), after.nextClientSecret())
                || !Objects.equals(before.certificatePassword(), after.certificatePassword());
    }

    /** With the delegated sign-in state (null: none stored). */
    static DefinitionView view(StoredDefinition s, SignInState signIn) {
        MailboxDefinition d = s.definition();
        String signedInAs = null;
        Instant signedInAt = null;
        String needs = null;
        if (d.delegated()) {
            if (signIn == null) {
                needs = "not connected yet: Connect mailbox";
            } else if (!signIn.matches(d)) {
                needs = "the mailbox, tenant or app changed since " + signIn.signedInAs() + " signed in";
            } else {
                signedInAs = signIn.signedInAs();
                signedInAt = signIn.signedInAt();
                needs = signIn.needsSignIn();
            }
        }
        Map<MailboxProperty, Object> values = new EnumMap<>(MailboxProperty.class);
        Set<MailboxProperty> secretsSet = EnumSet.noneOf(MailboxProperty.class);
        Map<MailboxProperty, String> aliases = new EnumMap<>(MailboxProperty.class);
        for (MailboxProperty p : MailboxProperty.values()) {
            Object v = d.value(p);
            if (p.secret() && v != null) {
                secretsSet.add(p);
                ((Secret) v).aliasReference().ifPresent(alias -> aliases.put(p, alias));
            } else if (v != null) {
                values.put(p, v);
            }
        }
        return new DefinitionView(d.name(), values, secretsSet, s.secretChangedAt(), s.version(), s.updatedAt(),
                s.updatedBy(), signedInAs, signedInAt, needs, aliases);
    }

    /** Names of the properties that differ (secrets by name only), for the audit log. */
    static List<String> changes(MailboxDefinition before, MailboxDefinition after) {
        List<String> out = new ArrayList<>();
        if (before == null) {
            out.add("created");
            return out;
        }
        for (MailboxProperty p : MailboxProperty.values()) {
            if (!Objects.equals(before.value(p), after.value(p))) {
                out.add(p.key());
            }
        }
        return out;
    }
}
