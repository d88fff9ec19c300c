package org.imapra.standin;

import jakarta.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delegated sign-in as Entra ID does it for a confidential web app: {@code GET /{tenant}/oauth2/v2.0/authorize}
 * (authorization code with PKCE S256; consent is automatic, as the user named by {@code login_hint} or the
 * {@link #consentingUser(String) consenting user} knob), and the token endpoint's {@code authorization_code} and
 * {@code refresh_token} grants. Codes are one-time and short-lived; refresh tokens rotate (each use returns a new one
 * and invalidates the old); {@link #revokeRefreshTokens(String)} makes a user's refresh tokens fail with
 * AADSTS700082.
 */
final class DelegatedGrants {
    static final String IMAP_ACCESS_AS_USER = "IMAP.AccessAsUser.All";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CODE_LIFETIME_SECONDS = 300;

    private record CodeGrant(String clientId, String tenantId, String redirectUri, String challenge, String user,
                             String scope, Instant expiresAt) {
    }

    private record RefreshGrant(String clientId, String tenantId, String user, String scope) {
    }

    /** A redirect to the client ({@code location}) or an error page ({@code status}, {@code html}). */
    record AuthorizeResult(String location, int status, String html) {
    }

    private final EntraDirectory directory;
    private final TokenIssuer issuer;
    private final String baseUrl;
    private final Map<String, CodeGrant> codes = new ConcurrentHashMap<>();
    private final Set<String> redeemedCodes = ConcurrentHashMap.newKeySet();
    private final Map<String, RefreshGrant> refreshTokens = new ConcurrentHashMap<>();
    private final Set<String> revokedUsers = ConcurrentHashMap.newKeySet();
    private volatile String consentingUser;

    DelegatedGrants(EntraDirectory directory, TokenIssuer issuer, String baseUrl) {
        this.directory = directory;
        this.issuer = issuer;
        this.baseUrl = baseUrl;
    }

    /** Who consents at the authorize endpoint from now on (null: the user named by {@code login_hint}). */
    void consentingUser(String upn) {
        this.consentingUser = upn;
    }

    /** Every refresh token of this user fails from now on with AADSTS700082 (invalid_grant), until a new sign-in. */
    void revokeRefreshTokens(String upn) {
        String key = upn.toLowerCase(Locale.ROOT);
        revokedUsers.add(key);
        refreshTokens.values().removeIf(g -> g.user().equalsIgnoreCase(upn));
    }

    /** Number of live (not yet rotated or revoked) refresh tokens. */
    int liveRefreshTokens() {
        return refreshTokens.size();
    }

    AuthorizeResult authorize(String tenantSegment, Map<String, String> q, Instant now) {
        EntraTenant tenant = directory.resolveTenant(tenantSegment).orElse(null);
        if (tenant == null) {
            return page(EntraError.tenantNotFound(tenantSegment));
        }
        String clientId = q.get("client_id");
        if (blank(clientId)) {
            return page(EntraError.missingParameter("client_id"));
        }
        AppRegistration app = directory.app(clientId).filter(a -> a.homeTenantId().equals(tenant.id())).orElse(null);
        if (app == null) {
            return page(EntraError.appNotFound(clientId, tenant.displayName()));
        }
        String redirectUri = q.get("redirect_uri");
        if (!app.hasRedirectUri(redirectUri)) {
            return page(new EntraError(400, "invalid_request", 50011, "The redirect URI '" + redirectUri
                    + "' specified in the request does not match the redirect URIs configured for the application '"
                    + app.clientId() + "'. Make sure the redirect URI sent in the request matches one added to your"
                    + " application in the Azure portal."));
        }
        String state = q.get("state");
        if (!"code".equals(q.get("response_type"))) {
            return redirectError(redirectUri, state, new EntraError(400, "unsupported_response_type", 700054,
                    "response_type '" + q.get("response_type") + "' is not enabled for the application."));
        }
        String scope = q.getOrDefault("scope", "");
        List<String> scopes = Arrays.asList(scope.trim().split("\\s+"));
        if (!hasImapScope(scopes) || !scopes.contains("offline_access")) {
            return redirectError(redirectUri, state, EntraError.invalidScope(scope));
        }
        String challenge = q.get("code_challenge");
        if (blank(challenge) || !"S256".equals(q.get("code_challenge_method"))) {
            return redirectError(redirectUri, state, new EntraError(400, "invalid_request", 50148,
                    "The code_challenge_method must be S256 and a code_challenge is required (PKCE)."));
        }
        String wanted = consentingUser != null ? consentingUser : q.get("login_hint");
        String user = directory.userNamed(wanted).orElse(null);
        if (user == null) {
            return redirectError(redirectUri, state, new EntraError(400, "invalid_request", 50034,
                    "The user account " + wanted + " does not exist in the " + tenant.displayName()
                            + " directory. To sign into this application, the account must be added to the"
                            + " directory."));
        }
        revokedUsers.remove(user.toLowerCase(Locale.ROOT));
        String code = random(48);
        codes.put(code, new CodeGrant(app.clientId(), tenant.id(), redirectUri, challenge, user, scope,
                now.plusSeconds(CODE_LIFETIME_SECONDS)));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        if (state != null) {
            params.put("state", state);
        }
        params.put("session_state", java.util.UUID.randomUUID().toString());
        return new AuthorizeResult(withQuery(redirectUri, params), 302, null);
    }

    /** The {@code authorization_code} or {@code refresh_token} grant of an authenticated client. */
    ClientCredentialsGrant.Result token(String grantType, AppRegistration app, EntraTenant tenant,
                                        Map<String, String> form, long lifetime, Instant now) {
        if ("authorization_code".equals(grantType)) {
            String code = form.get("code");
            if (blank(code)) {
                return fail(EntraError.missingParameter("code"));
            }
            CodeGrant g = codes.remove(code);
            if (g == null) {
                return fail(redeemedCodes.contains(code)
                        ? new EntraError(400, "invalid_grant", 54005, "OAuth2 Authorization code was already"
                        + " redeemed, please retry with a new valid code or use an existing refresh token.")
                        : new EntraError(400, "invalid_grant", 70008, "The provided authorization code or refresh"
                        + " token has expired due to inactivity. Send a new interactive authorization request for"
                        + " this user and resource."));
            }
            redeemedCodes.add(code);
            if (!g.clientId().equals(app.clientId()) || !g.tenantId().equals(tenant.id())) {
                return fail(new EntraError(400, "invalid_grant", 70000, "The provided authorization code was"
                        + " issued to another client."));
            }
            if (!now.isBefore(g.expiresAt())) {
                return fail(new EntraError(400, "invalid_grant", 70008, "The provided authorization code or"
                        + " refresh token has expired due to inactivity."));
            }
            if (!g.redirectUri().equals(form.get("redirect_uri"))) {
                return fail(new EntraError(400, "invalid_grant", 70000, "The provided value for 'redirect_uri'"
                        + " does not match the one of the authorization request."));
            }
            String verifier = form.get("code_verifier");
            if (blank(verifier) || !s256(verifier).equals(g.challenge())) {
                return fail(new EntraError(400, "invalid_grant", 501481, "The Code_Verifier does not match the"
                        + " code_challenge supplied in the authorization request."));
            }
            return issue(app, tenant, g.user(), lifetime, now);
        }
        String rt = form.get("refresh_token");
        if (blank(rt)) {
            return fail(EntraError.missingParameter("refresh_token"));
        }
        RefreshGrant g = refreshTokens.remove(rt);
        if (g == null) {
            return fail(new EntraError(400, "invalid_grant", 700082, "The refresh token has expired due to"
                    + " inactivity. The token was issued on " + now.minusSeconds(90L * 86400) + " and was inactive"
                    + " for 90.00:00:00."));
        }
        if (!g.clientId().equals(app.clientId()) || !g.tenantId().equals(tenant.id())) {
            return fail(new EntraError(400, "invalid_grant", 70000, "The refresh token was issued to another"
                    + " client."));
        }
        if (revokedUsers.contains(g.user().toLowerCase(Locale.ROOT))) {
            return fail(new EntraError(400, "invalid_grant", 700082, "The refresh token has expired due to"
                    + " inactivity."));
        }
        return issue(app, tenant, g.user(), lifetime, now);
    }

    private ClientCredentialsGrant.Result issue(AppRegistration app, EntraTenant tenant, String user, long lifetime,
                                                Instant now) {
        String scope = TokenIssuer.EXCHANGE_DELEGATED_RESOURCE + "/" + IMAP_ACCESS_AS_USER;
        String refresh = "0.A" + random(96);
        refreshTokens.put(refresh, new RefreshGrant(app.clientId(), tenant.id(), user, scope));
        String oid = TokenIssuer.userObjectId(tenant.id(), user);
        String clientInfo = Base64.getUrlEncoder().withoutPadding().encodeToString(Json.createObjectBuilder()
                .add("uid", oid).add("utid", tenant.id()).build().toString().getBytes(StandardCharsets.UTF_8));
        return new ClientCredentialsGrant.Result(null, Json.createObjectBuilder()
                .add("token_type", "Bearer")
                .add("scope", scope)
                .add("expires_in", lifetime)
                .add("ext_expires_in", lifetime)
                .add("access_token", issuer.issueDelegated(app, tenant, user, IMAP_ACCESS_AS_USER, lifetime, now))
                .add("refresh_token", refresh)
                .add("id_token", issuer.idToken(app, tenant, user, baseUrl, now))
                .add("client_info", clientInfo)
                .build().toString());
    }

    private static boolean hasImapScope(List<String> scopes) {
        return scopes.stream().anyMatch(s -> s.equalsIgnoreCase(TokenIssuer.EXCHANGE_DELEGATED_RESOURCE + "/"
                + IMAP_ACCESS_AS_USER) || s.equalsIgnoreCase(TokenIssuer.EXCHANGE_RESOURCE + "/" + IMAP_ACCESS_AS_USER));
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuthorizeResult page(EntraError e) {
        String text = "AADSTS" + e.code() + ": " + e.message();
        String html = "<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>"
                + "<h1>Sorry, but we're having trouble signing you in.</h1><p id=\"error\">"
                + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p></body></html>";
        return new AuthorizeResult(null, e.httpStatus(), html);
    }

    private static AuthorizeResult redirectError(String redirectUri, String state, EntraError e) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", e.error());
        params.put("error_description", "AADSTS" + e.code() + ": " + e.message());
        if (state != null) {
            params.put("state", state);
        }
        return new AuthorizeResult(withQuery(redirectUri, params), 302, null);
    }

    private static String withQuery(String uri, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(uri).append(uri.contains("?") ? '&' : '?');
        List<String> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.append(String.join("&", pairs)).toString();
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static ClientCredentialsGrant.Result fail(EntraError e) {
        return new ClientCredentialsGrant.Result(e, null);
    }
}
