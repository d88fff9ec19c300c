package org.imapra.auth;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.ResponseMode;
import com.microsoft.aad.msal4j.SilentParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delegated tokens through MSAL4J: the authorization code flow with PKCE ({@link #authorizationUrl},
 * {@link #redeem}), then silent acquisition with the refresh token from MSAL's serialized cache, which a
 * {@link SignInStore} keeps encrypted. A refresh loads the cache, requests and saves the changed cache (the rotated
 * refresh token) under the store's lock, so the new refresh token is persisted before it is used again. A refused
 * refresh (invalid_grant: AADSTS700082 expired, revoked, consent withdrawn) marks the sign-in "needs sign-in again";
 * from then on no request is made until the user signs in again.
 */
final class DelegatedTokens {

    private static final Logger LOG = Logger.getLogger(DelegatedTokens.class.getName());
    private static final Set<String> RESERVED = Set.of("openid", "profile", "offline_access");
    private static final Set<String> SIGN_IN_ERRORS = Set.of("invalid_grant", "interaction_required",
            "consent_required", "login_required");
    private static final Set<String> SIGN_IN_CODES = Set.of("AADSTS700082", "AADSTS50173", "AADSTS65001",
            "AADSTS70008", "AADSTS700084", "AADSTS50076", "AADSTS50079", "AADSTS54005");

    /** What a completed sign-in gives: who consented and MSAL's cache with the refresh token. */
    record SignedIn(String username, String homeAccountId, String serializedCache, AccessToken token) {
        @Override
        public String toString() {
            return "SignedIn[" + username + "]";
        }
    }

    private final Clock clock;
    private final MsalApps<App> apps = new MsalApps<>();

    private record App(ConfidentialClientApplication msal, StoreAspect aspect) {
    }

    DelegatedTokens(Clock clock) {
        this.clock = clock;
    }

    /** The MSAL scopes of a delegated request (MSAL adds openid, profile and offline_access itself). */
    static Set<String> scopes(TokenRequest r) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : r.scope().trim().split("\\s+")) {
            if (!RESERVED.contains(s.toLowerCase(Locale.ROOT))) {
                out.add(s);
            }
        }
        return out;
    }

    String authorizationUrl(TokenRequest r, String redirectUri, String state, String codeChallenge, String loginHint)
            throws TokenException {
        ConfidentialClientApplication app = MsalTokenSource.build(r, null);
        AuthorizationRequestUrlParameters p = AuthorizationRequestUrlParameters.builder(redirectUri, scopes(r))
                .responseMode(ResponseMode.QUERY)
                .state(state)
                .codeChallenge(codeChallenge)
                .codeChallengeMethod("S256")
                .loginHint(loginHint)
                .build();
        // MSAL4J asks for form_post whatever is set; the response must come back as a top-level GET (query) so that
        // the console's session cookie (SameSite=Lax) comes along and the state can be checked against the session
        return app.getAuthorizationRequestUrl(p).toString().replace("response_mode=form_post", "response_mode=query");
    }

    SignedIn redeem(TokenRequest r, String code, String codeVerifier, String redirectUri) throws TokenException {
        ConfidentialClientApplication app = MsalTokenSource.build(r, null);
        Instant started = clock.instant();
        try {
            IAuthenticationResult result = app.acquireToken(AuthorizationCodeParameters
                    .builder(code, URI.create(redirectUri)).scopes(scopes(r)).codeVerifier(codeVerifier).build())
                    .get();
            IAccount account = result.account();
            if (account == null || result.accessToken() == null || result.expiresOnDate() == null) {
                throw new TokenException(r.tokenEndpoint(), 200, null, List.of(), "the token endpoint answered "
                        + "without an account (id_token) or access token", null, null);
            }
            return new SignedIn(account.username(), account.homeAccountId(), app.tokenCache().serialize(),
                    new AccessToken(result.accessToken(), started, result.expiresOnDate().toInstant()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException(r.tokenEndpoint(), 0, null, List.of(), "interrupted", null, e);
        } catch (ExecutionException e) {
            throw MsalTokenSource.translate(r, e.getCause() == null ? e : e.getCause());
        } catch (RuntimeException e) {
            throw MsalTokenSource.translate(r, e);
        }
    }

    /**
     * Refreshes under the sign-in's lock and, when the sign-in is shared by instances, its claim: no other instance
     * presents the same refresh token meanwhile.
     */
    AccessToken fetch(TokenRequest r) throws TokenException {
        SignInStore store = r.signIn();
        synchronized (store.lock()) {
            try {
                store.claimRefresh();
            } catch (IOException e) {
                throw new TokenException(r.tokenEndpoint(), 0, null, List.of(), "the sign-in cannot be refreshed "
                        + "now: " + e.getMessage(), null, e);
            }
            try {
                return fetchClaimed(r);
            } finally {
                store.endRefresh();
            }
        }
    }

    private AccessToken fetchClaimed(TokenRequest r) throws TokenException {
        SignInStore store = r.signIn();
        synchronized (store.lock()) {
            String need;
            String accountId;
            try {
                need = store.signInRequired();
                accountId = need == null ? store.homeAccountId() : null;
            } catch (IOException e) {
                throw new TokenException(r.tokenEndpoint(), 0, null, List.of(), "the sign-in cannot be read: "
                        + e.getMessage(), null, e);
            }
            if (need != null) {
                throw new SignInRequiredException(r.tokenEndpoint(), 0, null, List.of(), need, null, null);
            }
            App app = app(r);
            app.aspect().failure = null;
            Instant started = clock.instant();
            try {
                IAccount account = app.msal().getAccounts().get().stream()
                        .filter(a -> a.homeAccountId().equals(accountId)).findFirst().orElse(null);
                if (account == null) {
                    String why = "the signed-in account is not in the stored sign-in";
                    store.markSignInRequired(why);
                    throw new SignInRequiredException(r.tokenEndpoint(), 0, null, List.of(), why, null, null);
                }
                IAuthenticationResult result;
                try {
                    result = app.msal().acquireTokenSilently(SilentParameters
                            .builder(scopes(r), account).authorityUrl(r.tenantAuthority()).forceRefresh(true).build())
                            .get();
                } catch (java.net.MalformedURLException e) {
                    throw new TokenException(r.tokenEndpoint(), 0, null, List.of(), "MSAL refused the authority "
                            + r.tenantAuthority() + ": " + e.getMessage(), null, e);
                }
                if (app.aspect().failure != null) {
                    throw new TokenException(r.tokenEndpoint(), 0, null, List.of(), "the new refresh token could "
                            + "not be saved: " + app.aspect().failure.getMessage(), null, app.aspect().failure);
                }
                if (result.accessToken() == null || result.expiresOnDate() == null) {
                    throw new TokenException(r.tokenEndpoint(), 200, null, List.of(),
                            "the token endpoint answered without an access token", null, null);
                }
                AccessToken token = new AccessToken(result.accessToken(), started, result.expiresOnDate().toInstant());
                LOG.fine(() -> "Delegated token refreshed for " + store.key() + ", expires " + token.expiresAt());
                return token;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TokenException(r.tokenEndpoint(), 0, null, List.of(), "interrupted", null, e);
            } catch (ExecutionException e) {
                throw refused(r, store, e.getCause() == null ? e : e.getCause());
            } catch (RuntimeException e) {
                throw refused(r, store, e);
            }
        }
    }

    /** A refused refresh marks the sign-in; other failures (network, 5xx) are answered as they are. */
    private static TokenException refused(TokenRequest r, SignInStore store, Throwable failure) {
        TokenException te = MsalTokenSource.translate(r, failure);
        boolean signIn = failure instanceof MsalServiceException
                && (SIGN_IN_ERRORS.contains(te.error()) || te.errorCodes().stream().anyMatch(SIGN_IN_CODES::contains));
        if (!signIn) {
            return te;
        }
        String why = "the refresh token was refused (" + (te.error() == null ? "" : te.error())
                + (te.errorCodes().isEmpty() ? "" : " " + String.join(" ", te.errorCodes())) + ")";
        store.markSignInRequired(why);
        LOG.warning(() -> "Delegated sign-in " + store.key() + " needs sign-in again: " + why);
        return new SignInRequiredException(te.tokenEndpoint(), te.httpStatus(), te.error(), te.errorCodes(),
                te.description() == null ? why : te.description(), te.correlationId(), null);
    }

    private App app(TokenRequest r) throws TokenException {
        return apps.get(r, certificate -> {
            StoreAspect aspect = new StoreAspect(r.signIn());
            return new App(MsalTokenSource.build(r, aspect, certificate), aspect);
        });
    }

    void clear() {
        apps.clear();
    }

    /** MSAL's cache is the stored one: loaded before every access, saved after every change. */
    private static final class StoreAspect implements ITokenCacheAccessAspect {
        private final SignInStore store;
        volatile IOException failure;

        StoreAspect(SignInStore store) {
            this.store = store;
        }

        @Override
        public void beforeCacheAccess(ITokenCacheAccessContext ctx) {
            try {
                String cache = store.loadCache();
                ctx.tokenCache().deserialize(cache == null ? "{}" : cache);
            } catch (IOException e) {
                failure = e;
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void afterCacheAccess(ITokenCacheAccessContext ctx) {
            if (!ctx.hasCacheChanged()) {
                return;
            }
            try {
                store.saveCache(ctx.tokenCache().serialize());
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                LOG.log(Level.SEVERE, "The rotated refresh token of " + store.key() + " could not be saved", e);
            }
        }
    }
}
