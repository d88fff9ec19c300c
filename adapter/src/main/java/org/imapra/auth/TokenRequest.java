package org.imapra.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * An app-only (client credentials) token request.
 *
 * @param tenantAuthority     {@code https://{authorityHost}/{tenant}/}
 * @param clientId            Application (client) ID
 * @param scope               e.g. {@code https://outlook.office365.com/.default}
 * @param credential          secret, certificate or federated token file (and the next one to switch to)
 * @param httpsProxy          the proxy, or null
 * @param connectTimeoutMillis HTTP connect timeout
 * @param readTimeoutMillis    HTTP read timeout
 * @param signIn               the stored sign-in of a delegated request, or null (app-only)
 * @param renewalMargin        the definition's tokenRenewalMarginSeconds, or null: automatic (see
 *                             {@link AccessToken#retireMargin()})
 */
public record TokenRequest(String tenantAuthority, String clientId, String scope, ClientCredential credential,
                           HttpsProxy httpsProxy, int connectTimeoutMillis, int readTimeoutMillis, SignInStore signIn,
                           Duration renewalMargin) {

    /** With the automatic renewal margin. */
    public TokenRequest(String tenantAuthority, String clientId, String scope, ClientCredential credential,
                        HttpsProxy httpsProxy, int connectTimeoutMillis, int readTimeoutMillis, SignInStore signIn) {
        this(tenantAuthority, clientId, scope, credential, httpsProxy, connectTimeoutMillis, readTimeoutMillis, signIn,
                null);
    }

    /** An app-only (client credentials) request. */
    public TokenRequest(String tenantAuthority, String clientId, String scope, ClientCredential credential,
                        HttpsProxy httpsProxy, int connectTimeoutMillis, int readTimeoutMillis) {
        this(tenantAuthority, clientId, scope, credential, httpsProxy, connectTimeoutMillis, readTimeoutMillis, null);
    }

    /** True for a delegated request (refresh token of a signed-in user, see {@link #signIn()}). */
    public boolean delegated() {
        return signIn != null;
    }

    public TokenRequest {
        Objects.requireNonNull(tenantAuthority, "tenantAuthority");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(credential, "credential");
        if (renewalMargin != null && renewalMargin.isNegative()) {
            throw new IllegalArgumentException("a renewal margin cannot be negative: " + renewalMargin);
        }
        if (!tenantAuthority.endsWith("/")) {
            tenantAuthority = tenantAuthority + "/";
        }
    }

    /** The same request made with {@code other} (e.g. the credential's next). */
    public TokenRequest with(ClientCredential other) {
        return new TokenRequest(tenantAuthority, clientId, scope, other, httpsProxy, connectTimeoutMillis,
                readTimeoutMillis, signIn);
    }

    /** The same request with the credential's next, or null when it has none. */
    public TokenRequest next() {
        ClientCredential n = credential.next();
        return n == null ? null : with(n);
    }

    /** {@code https://{authorityHost}/{tenant}/oauth2/v2.0/token}. */
    public String tokenEndpoint() {
        return tenantAuthority + "oauth2/v2.0/token";
    }

    /** What identifies one cached token: the same authority, app, scope and credential. */
    Key key() {
        return new Key(tenantAuthority.toLowerCase(java.util.Locale.ROOT), clientId.toLowerCase(java.util.Locale.ROOT),
                scope, credential.fingerprint(), signIn == null ? null : signIn.key());
    }

    record Key(String authority, String clientId, String scope, String credential, String signIn) {
    }

    @Override
    public String toString() {
        return "TokenRequest[" + tokenEndpoint() + ", clientId=" + clientId + ", scope=" + scope + ", credential="
                + credential + (signIn == null ? "" : ", delegated " + signIn.key()) + "]";
    }
}
