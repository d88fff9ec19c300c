package org.imapra.api.admin;

import java.io.Serializable;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A stored definition as the console shows it: every property but the secrets, of which only "set, last changed" is
 * told.
 *
 * @param values          the value of each non-secret {@link MailboxProperty} that is set (with its default where it
 *                        has one): String, or Integer for numbers
 * @param secretsSet      the secret properties that hold a value
 * @param secretChangedAt when the client secret (or certificate password) was last changed, or null
 * @param version         increases with every change; pass it back to update/delete
 * @param signedInAs      DELEGATED: the account that signed in (Connect mailbox), or null when not connected
 * @param signedInAt      DELEGATED: when it signed in, or null
 * @param needsSignIn     DELEGATED: why it needs sign-in again (not connected, refresh refused), or null when it works
 * @param secretAliases   the secrets that refer to a password alias of the server ({@code ${ALIAS=name}}) instead of
 *                        holding a value, with the alias's name (a name, not a secret)
 */
public record DefinitionView(String name, Map<MailboxProperty, Object> values, Set<MailboxProperty> secretsSet,
                             Instant secretChangedAt, long version, Instant updatedAt, String updatedBy,
                             String signedInAs, Instant signedInAt, String needsSignIn,
                             Map<MailboxProperty, String> secretAliases) implements Serializable {

    /** A view without password alias references. */
    public DefinitionView(String name, Map<MailboxProperty, Object> values, Set<MailboxProperty> secretsSet,
                          Instant secretChangedAt, long version, Instant updatedAt, String updatedBy,
                          String signedInAs, Instant signedInAt, String needsSignIn) {
        this(name, values, secretsSet, secretChangedAt, version, updatedAt, updatedBy, signedInAs, signedInAt,
                needsSignIn, Map.of());
    }

    public DefinitionView {
        Map<MailboxProperty, Object> copy = new EnumMap<>(MailboxProperty.class);
        values.forEach((p, v) -> {
            if (p.secret()) {
                throw new IllegalArgumentException(p.key() + " is a secret: a view never holds its value");
            }
            copy.put(p, v);
        });
        values = Collections.unmodifiableMap(copy);
        secretAliases = secretAliases == null || secretAliases.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(secretAliases));
        secretsSet = Collections.unmodifiableSet(secretsSet.isEmpty() ? EnumSet.noneOf(MailboxProperty.class)
                : EnumSet.copyOf(secretsSet));
    }

    /** The value of a non-secret property, or null when it is not set. */
    public Object value(MailboxProperty p) {
        return values.get(p);
    }

    /** The value of the property named {@code key} as text, or null (for pages: {@code view.text('userName')}). */
    public String text(String key) {
        Object v = MailboxProperty.byKey(key).map(values::get).orElse(null);
        return v == null ? null : v.toString();
    }

    /** Whether a client secret is stored. */
    public boolean secretSet() {
        return secretsSet.contains(MailboxProperty.CLIENT_SECRET);
    }

    /**
     * The password alias the secret property named {@code key} refers to, or null when it holds a value (for pages:
     * {@code view.secretAlias('clientSecret')}).
     */
    public String secretAlias(String key) {
        return MailboxProperty.byKey(key).map(secretAliases::get).orElse(null);
    }

    /** Whether a next client secret (rotation) is stored. */
    public boolean nextSecretSet() {
        return secretsSet.contains(MailboxProperty.NEXT_CLIENT_SECRET);
    }

    /** Whether a certificate password is stored. */
    public boolean certificatePasswordSet() {
        return secretsSet.contains(MailboxProperty.CERTIFICATE_PASSWORD);
    }

    public boolean delegated() {
        return "DELEGATED".equals(values.get(MailboxProperty.AUTH_MODE));
    }

    /** A form holding this definition's name and non-secret values (secrets empty: "keep the stored one"). */
    public DefinitionInput toInput() {
        DefinitionInput in = new DefinitionInput();
        in.setName(name);
        for (MailboxProperty p : MailboxProperty.values()) {
            if (!p.secret()) {
                in.set(p, values.get(p));
            }
        }
        return in;
    }
}
