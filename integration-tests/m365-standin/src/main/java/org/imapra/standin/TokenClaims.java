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
 */
public record TokenClaims(String appId, String tenantId, String objectId, List<String> roles, String audience,
                          Instant issuedAt, Instant expiresAt) {
    public TokenClaims {
        roles = List.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
