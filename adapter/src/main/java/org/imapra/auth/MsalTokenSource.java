package org.imapra.auth;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.net.MalformedURLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Client-credentials tokens from Entra ID through MSAL4J's {@link ConfidentialClientApplication}, always at the
 * tenant-specific authority. MSAL's own cache is skipped ({@link TokenCache} is the one cache), its internal retry
 * is off (one call, one request), and the request runs on the caller's thread (no executor of MSAL's own).
 */
public final class MsalTokenSource implements TokenSource {

    private static final Logger LOG = Logger.getLogger(MsalTokenSource.class.getName());
    private static final Pattern AADSTS = Pattern.compile("AADSTS\\d+");
    /** MSAL's text for an answer without Entra's JSON (no status code is set then). */
    private static final Pattern UNKNOWN_STATUS = Pattern.compile("returned status code:? (\\d{3})");
    /**
     * MSAL4J 1.26.1 logs, at INFO for every token request, "Sent (…) Correlation Id is not same as received (null)"
     * when the response's {@code client-request-id} header does not come back in exactly that spelling: its only
     * INFO message. Held at WARNING unless the server's logging configuration sets a level for it. Held here: a
     * logger nobody references may be collected, and its level with it.
     */
    private static final Logger MSAL_HTTP = quiet(Logger.getLogger("com.microsoft.aad.msal4j.HttpHelper"));

    private final MsalApps<ConfidentialClientApplication> apps = new MsalApps<>();
    private final Clock clock;
    private final DelegatedTokens delegated;

    public MsalTokenSource(Clock clock) {
        this.clock = clock;
        this.delegated = new DelegatedTokens(clock);
    }

    public MsalTokenSource() {
        this(Clock.systemUTC());
    }

    @Override
    public AccessToken fetch(TokenRequest request) throws TokenException {
        if (request.delegated()) {
            return delegated.fetch(request);
        }
        if (request.credential().kind() == ClientCredential.Kind.FEDERATED) {
            FederatedAssertion.read(request); // a missing or empty file is said as such, not as MSAL's failure
        }
        ConfidentialClientApplication app = app(request);
        ClientCredentialParameters parameters = ClientCredentialParameters.builder(Set.of(request.scope()))
                .skipCache(true)
                .build();
        Instant started = clock.instant();
        try {
            IAuthenticationResult result = app.acquireToken(parameters).get();
            String token = result.accessToken();
            if (token == null || token.isBlank() || result.expiresOnDate() == null) {
                throw new TokenException(request.tokenEndpoint(), 200, null, List.of(),
                        "the token endpoint answered without an access token", null, null);
            }
            AccessToken accessToken = new AccessToken(token, started, result.expiresOnDate().toInstant());
            LOG.fine(() -> "Token acquired from " + request.tokenEndpoint() + " for client " + request.clientId()
                    + ", expires " + accessToken.expiresAt());
            return accessToken;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException(request.tokenEndpoint(), 0, null, List.of(), "interrupted", null, e);
        } catch (ExecutionException e) {
            throw translate(request, e.getCause() == null ? e : e.getCause());
        } catch (RuntimeException e) {
            throw translate(request, e);
        }
    }

    /**
     * The tenant's authorize URL for a delegated sign-in (authorization code, PKCE S256, response in the query).
     *
     * @param codeChallenge BASE64URL(SHA-256(verifier)); the verifier stays on the server
     */
    public String authorizationUrl(TokenRequest request, String redirectUri, String state, String codeChallenge,
                                   String loginHint) throws TokenException {
        return delegated.authorizationUrl(request, redirectUri, state, codeChallenge, loginHint);
    }

    /** Redeems an authorization code (with the PKCE verifier): who signed in, and MSAL's cache to store. */
    public SignInResult redeem(TokenRequest request, String code, String codeVerifier, String redirectUri)
            throws TokenException {
        DelegatedTokens.SignedIn s = delegated.redeem(request, code, codeVerifier, redirectUri);
        return new SignInResult(s.username(), s.homeAccountId(), s.serializedCache(), s.token());
    }

    /**
     * A completed sign-in: the consenting account ({@code preferred_username} of the ID token), MSAL's home account
     * id, MSAL's serialized cache (holds the refresh token: store it encrypted) and the first access token.
     */
    public record SignInResult(String username, String homeAccountId, String serializedCache, AccessToken token) {
        @Override
        public String toString() {
            return "SignInResult[" + username + "]";
        }
    }

    static TokenException translate(TokenRequest request, Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof FederatedAssertion.Unreadable u) {
                return u.failure();
            }
        }
        if (failure instanceof MsalServiceException mse) {
            String description = mse.getMessage();
            List<String> codes = new ArrayList<>();
            if (description != null) {
                Matcher m = AADSTS.matcher(description);
                while (m.find()) {
                    if (!codes.contains(m.group())) {
                        codes.add(m.group());
                    }
                }
            }
            int status = mse.statusCode() != null ? mse.statusCode() : unknownStatus(description);
            String error = "unknown".equals(mse.errorCode()) ? null : mse.errorCode();
            TokenException te = new TokenException(request.tokenEndpoint(), status, error, codes,
                    description, mse.correlationId(), null);
            LOG.log(Level.FINE, "Token request failed: " + te.getMessage(), te);
            return te;
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String description = root.getClass().getSimpleName() + ": " + root.getMessage();
        // an answer that is not JSON (a gateway's or proxy's error page): MSAL keeps no HTTP status for it
        String error = failure instanceof com.microsoft.aad.msal4j.MsalClientException mce
                && "invalid_json".equals(mce.errorCode()) ? "invalid_json" : null;
        return new TokenException(request.tokenEndpoint(), 0, error, List.of(), description, null, failure);
    }

    /** The HTTP status of an answer without Entra's JSON, from MSAL's description (0 when not found). */
    private static int unknownStatus(String description) {
        Matcher m = UNKNOWN_STATUS.matcher(description == null ? "" : description);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private ConfidentialClientApplication app(TokenRequest request) throws TokenException {
        return apps.get(request, certificate -> build(request, null, certificate));
    }

    /** How many MSAL applications are kept (for tests). */
    int appCount() {
        return apps.size();
    }

    static ConfidentialClientApplication build(TokenRequest request,
                                               com.microsoft.aad.msal4j.ITokenCacheAccessAspect cache)
            throws TokenException {
        return build(request, cache, request.credential().isCertificate() ? CertificateLoader.read(request) : null);
    }

    /** @param certificate the certificate file's content (null for a secret) */
    static ConfidentialClientApplication build(TokenRequest request,
                                               com.microsoft.aad.msal4j.ITokenCacheAccessAspect cache,
                                               byte[] certificate) throws TokenException {
        ClientCredential c = request.credential();
        IClientCredential credential = switch (c.kind()) {
            case CERTIFICATE, KEY_STORE -> CertificateLoader.load(request, certificate);
            case FEDERATED -> ClientCredentialFactory.createFromCallback(
                    () -> FederatedAssertion.readForCallback(request));
            case SECRET -> ClientCredentialFactory.createFromSecret(
                    new String(PasswordAliases.resolve(c.secret(), c.property(), request.tokenEndpoint())));
        };
        try {
            ConfidentialClientApplication.Builder b = ConfidentialClientApplication
                    .builder(request.clientId(), credential)
                    .authority(request.tenantAuthority())
                    .instanceDiscovery(false)
                    .logPii(false)
                    .executorService(CallerRunsExecutor.INSTANCE)
                    .connectTimeoutForDefaultHttpClient(request.connectTimeoutMillis())
                    .readTimeoutForDefaultHttpClient(request.readTimeoutMillis());
            b.disableInternalRetries();
            if (cache != null) {
                b.setTokenCacheAccessAspect(cache);
            }
            if (request.httpsProxy() != null) {
                b.proxy(request.httpsProxy().toProxy());
            }
            return b.build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new TokenException(request.tokenEndpoint(), 0, null, List.of(),
                    "MSAL refused the authority " + request.tenantAuthority() + ": " + e.getMessage(), null, e);
        }
    }

    private static Logger quiet(Logger logger) {
        if (logger.getLevel() == null) {
            logger.setLevel(Level.WARNING);
        }
        return logger;
    }

    /** Forgets the MSAL applications (e.g. after a credential change). */
    public void clear() {
        apps.clear();
        delegated.clear();
    }

}
