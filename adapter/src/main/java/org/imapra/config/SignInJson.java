package org.imapra.config;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.security.GeneralSecurityException;
import java.time.Instant;

/** The JSON form of a {@link SignInState} ({@code <name>.tokens}), the token cache encrypted and bound to the name. */
final class SignInJson {

    /** 2: the cache bound to its definition ({@code v2:}); 1 (read only): a {@code v1:} cache. */
    private static final int FORMAT = 2;

    private SignInJson() {
    }

    static JsonObject write(String name, SignInState s, SecretCipher cipher, Instant now) {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("format", FORMAT)
                .add("name", name)
                .add("userName", s.userName())
                .add("tenantId", s.tenantId())
                .add("clientId", s.clientId())
                .add("signedInAs", s.signedInAs())
                .add("homeAccountId", s.homeAccountId())
                .add("signedInAt", s.signedInAt().toString())
                .add("cache", cipher.encrypt(Secret.of(s.cache()), name, "cache"));
        if (s.needsSignIn() != null) {
            b.add("needsSignIn", s.needsSignIn());
            b.add("needsSignInSince", (s.needsSignInSince() == null ? now : s.needsSignInSince()).toString());
        }
        return b.build();
    }

    /** @throws GeneralSecurityException when the cache cannot be decrypted (other key, other definition, altered) */
    static SignInState read(JsonObject o, String name, SecretCipher cipher) throws GeneralSecurityException {
        return new SignInState(o.getString("userName"), o.getString("tenantId"), o.getString("clientId"),
                o.getString("signedInAs"), o.getString("homeAccountId"), Instant.parse(o.getString("signedInAt")),
                cipher.decrypt(o.getString("cache"), name, "cache", o.getInt("format", 1) < FORMAT).reveal(),
                o.getString("needsSignIn", null),
                o.containsKey("needsSignInSince") ? Instant.parse(o.getString("needsSignInSince")) : null);
    }
}
