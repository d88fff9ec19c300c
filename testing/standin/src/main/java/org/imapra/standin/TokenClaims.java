package org.imapra.standin;

import java.time.Instant;
import java.util.List;

/**
 * The claims of an access token that {@link EntraTokenEndpoint#validate} accepted.
 *
 * @param appId     {@code appid}: the client ID
 * @param tenantId  {@code tid}
 * @param objectId  {@code oid}: the service principal's object ID
 * @param roles     {@code roles} (empty if the app has no application permission)
 * @param audience  {@code aud}
 * @param issuedAt  {@code iat}
 * @param expiresAt {@code exp}
 * @param scope     {@code scp} of a delegated token, or null
 * @param upn       {@code upn} of a delegated token (the signed-in user), or null
 */
public record TokenClaims(String appId, String tenantId, String objectId, List<String> roles, String audience,
                          Instant issuedAt, Instant expiresAt, String scope, String upn) {
    public TokenClaims {
        roles = List.copyOf(roles);
    }

    /** An app-only token's claims (no {@code scp}, no user). */
    public TokenClaims(String appId, String tenantId, String objectId, List<String> roles, String audience,
                       Instant issuedAt, Instant expiresAt) {
        this(appId, tenantId, objectId, roles, audience, issuedAt, expiresAt, null, null);
    }

    /** Whether the delegated token's {@code scp} contains {@code permission}. */
    public boolean hasScope(String permission) {
        return scope != null && java.util.Arrays.asList(scope.split(" ")).contains(permission);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
