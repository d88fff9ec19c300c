package org.imapra.config;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.security.GeneralSecurityException;
import java.time.Instant;

/** The JSON form of a {@link StoredDefinition}, secrets encrypted with a {@link SecretCipher}. */
final class DefinitionJson {

    private DefinitionJson() {
    }

    static JsonObject write(StoredDefinition s, SecretCipher cipher) {
        MailboxDefinition d = s.definition();
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("format", 1)
                .add("name", d.name())
                .add("version", s.version())
                .add("updatedAt", s.updatedAt().toString())
                .add("updatedBy", s.updatedBy())
                .add("userName", d.userName())
                .add("tenantId", d.tenantId())
                .add("clientId", d.clientId())
                .add("cloud", d.cloud().name())
                .add("imapPort", d.imapPort())
                .add("saslMechanism", d.saslMechanism().name())
                .add("connectTimeoutMillis", d.connectTimeoutMillis())
                .add("readTimeoutMillis", d.readTimeoutMillis())
                .add("authMode", d.authMode().name());
        optional(b, "secretChangedAt", s.secretChangedAt() == null ? null : s.secretChangedAt().toString());
        optional(b, "clientSecret", d.clientSecret() == null ? null : cipher.encrypt(d.clientSecret()));
        optional(b, "certificatePath", d.certificatePath());
        optional(b, "certificatePassword",
                d.certificatePassword() == null ? null : cipher.encrypt(d.certificatePassword()));
        optional(b, "authorityHost", d.authorityHostOverride());
        optional(b, "imapHost", d.imapHostOverride());
        optional(b, "scope", d.scopeOverride());
        optional(b, "httpsProxy", d.httpsProxy());
        return b.build();
    }

    private static void optional(JsonObjectBuilder b, String key, String value) {
        if (value != null) {
            b.add(key, value);
        }
    }

    /**
     * @throws IllegalArgumentException when a field is missing or of the wrong type
     * @throws GeneralSecurityException when a secret cannot be decrypted (other master key, or altered)
     */
    static StoredDefinition read(JsonObject o, SecretCipher cipher) throws GeneralSecurityException {
        try {
            DefinitionBuilder b = MailboxDefinition.builder()
                    .name(o.getString("name"))
                    .userName(o.getString("userName"))
                    .tenantId(o.getString("tenantId"))
                    .clientId(o.getString("clientId"))
                    .cloud(o.getString("cloud"))
                    .imapPort(o.getInt("imapPort"))
                    .saslMechanism(o.getString("saslMechanism"))
                    .connectTimeoutMillis(o.getInt("connectTimeoutMillis"))
                    .readTimeoutMillis(o.getInt("readTimeoutMillis"))
                    .certificatePath(o.getString("certificatePath", null))
                    .authorityHost(o.getString("authorityHost", null))
                    .imapHost(o.getString("imapHost", null))
                    .scope(o.getString("scope", null))
                    .httpsProxy(o.getString("httpsProxy", null))
                    .authMode(o.getString("authMode", null));
            if (o.containsKey("clientSecret")) {
                b.clientSecret(cipher.decrypt(o.getString("clientSecret")));
            }
            if (o.containsKey("certificatePassword")) {
                b.certificatePassword(cipher.decrypt(o.getString("certificatePassword")));
            }
            JsonValue changed = o.get("secretChangedAt");
            JsonNumber version = o.getJsonNumber("version");
            if (version == null) {
                throw new IllegalArgumentException("no version");
            }
            return new StoredDefinition(b.build(), version.longValueExact(), Instant.parse(o.getString("updatedAt")),
                    o.getString("updatedBy"), changed == null ? null : Instant.parse(o.getString("secretChangedAt")));
        } catch (NullPointerException | ClassCastException | ArithmeticException
                 | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("a field is missing or of the wrong type: " + e.getMessage(), e);
        }
    }
}
