package org.imapra.config;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.security.GeneralSecurityException;
import java.time.Instant;
import org.imapra.api.admin.MailboxProperty;

/** The JSON form of a {@link StoredDefinition}, secrets encrypted with a {@link SecretCipher}. */
final class DefinitionJson {

    /** 2: secrets bound to their definition and field ({@code v2:}); 1 (read only): {@code v1:} secrets. */
    static final int FORMAT = 2;

    private DefinitionJson() {
    }

    static JsonObject write(StoredDefinition s, SecretCipher cipher) {
        MailboxDefinition d = s.definition();
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("format", FORMAT)
                .add("name", d.name())
                .add("version", s.version())
                .add("updatedAt", s.updatedAt().toString())
                .add("updatedBy", s.updatedBy());
        if (s.secretChangedAt() != null) {
            b.add("secretChangedAt", s.secretChangedAt().toString());
        }
        for (MailboxProperty p : MailboxProperty.values()) {
            Object v = d.value(p);
            if (v instanceof Secret secret) {
                b.add(p.key(), cipher.encrypt(secret, d.name(), p.key()));
            } else if (v instanceof Integer n) {
                b.add(p.key(), n);
            } else if (v != null) {
                b.add(p.key(), (String) v);
            }
        }
        return b.build();
    }

    /**
     * @throws IllegalArgumentException when a field is missing or of the wrong type
     * @throws GeneralSecurityException when a secret cannot be decrypted (other master key, or altered)
     */
    static StoredDefinition read(JsonObject o, SecretCipher cipher) throws GeneralSecurityException {
        try {
            String name = o.getString("name");
            boolean legacy = o.getInt("format", 1) < FORMAT;
            DefinitionBuilder b = MailboxDefinition.builder().name(name);
            for (MailboxProperty p : MailboxProperty.values()) {
                if (o.containsKey(p.key())) {
                    b.set(p, switch (p.kind()) {
                        case SECRET -> cipher.decrypt(o.getString(p.key()), name, p.key(), legacy);
                        case NUMBER -> o.getInt(p.key());
                        case TEXT, CHOICE -> o.getString(p.key());
                    });
                }
            }
            JsonNumber version = o.getJsonNumber("version");
            if (version == null) {
                throw new IllegalArgumentException("no version");
            }
            String changed = o.getString("secretChangedAt", null);
            return new StoredDefinition(b.buildStored(), version.longValueExact(), Instant.parse(o.getString("updatedAt")),
                    o.getString("updatedBy"), changed == null ? null : Instant.parse(changed));
        } catch (NullPointerException | ClassCastException | ArithmeticException
                 | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("a field is missing or of the wrong type: " + e.getMessage(), e);
        }
    }
}
