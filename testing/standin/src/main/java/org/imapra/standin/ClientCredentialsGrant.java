package org.imapra.standin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The client credentials grant of {@code POST /{tenant}/oauth2/v2.0/token}, checked in Entra's order. */
final class ClientCredentialsGrant {
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Set<String> IGNORED_SCOPES = Set.of("openid", "profile", "offline_access", "email");
    private static final Set<String> NON_TENANTS = Set.of("common", "organizations", "consumers");

    /** Either an error or the JSON body of a 200 response. */
    record Result(EntraError error, String json) {
    }

    private final EntraDirectory directory;
    private final TokenIssuer issuer;
    private final String baseUrl;
    private final DelegatedGrants delegated;

    ClientCredentialsGrant(EntraDirectory directory, TokenIssuer issuer, String baseUrl, DelegatedGrants delegated) {
        this.directory = directory;
        this.issuer = issuer;
        this.baseUrl = baseUrl;
        this.delegated = delegated;
    }

    Result process(String tenantSegment, Map<String, String> form, String authorization, long lifetime, Instant now) {
        boolean nonTenant = NON_TENANTS.contains(tenantSegment.toLowerCase(Locale.ROOT));
        EntraTenant tenant = nonTenant ? null : directory.resolveTenant(tenantSegment).orElse(null);
        if (!nonTenant && tenant == null) {
            return fail(EntraError.tenantNotFound(tenantSegment));
        }
        String grantType = form.get("grant_type");
        if (blank(grantType)) {
            return fail(EntraError.missingParameter("grant_type"));
        }
        boolean delegatedGrant = "authorization_code".equals(grantType) || "refresh_token".equals(grantType);
        if (!"client_credentials".equals(grantType) && !delegatedGrant) {
            return fail(EntraError.unsupportedGrantType(grantType));
        }
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        String[] basic = basicCredentials(authorization);
        if (basic != null) {
            clientId = blank(clientId) ? basic[0] : clientId;
            secret = secret == null ? basic[1] : secret;
        }
        if (blank(clientId)) {
            return fail(EntraError.missingParameter("client_id"));
        }
        if (nonTenant) {
            return fail(directory.app(clientId).filter(AppRegistration::singleTenant)
                    .map(EntraError::notMultiTenant).orElseGet(EntraError::noTenantInformation));
        }
        AppRegistration app = directory.app(clientId).filter(a -> a.homeTenantId().equals(tenant.id())).orElse(null);
        if (app == null) {
            return fail(EntraError.appNotFound(clientId, tenant.displayName()));
        }
        String assertion = form.get("client_assertion");
        EntraError credentialError;
        if (assertion != null) {
            String type = form.get("client_assertion_type");
            credentialError = blank(type) ? EntraError.missingParameter("client_assertion_type")
                    : !ASSERTION_TYPE.equals(type) ? EntraError.malformedAssertion()
                    : verifyAssertion(app, tenant, assertion, now);
        } else if (secret != null) {
            credentialError = verifySecret(app, secret, now);
        } else {
            credentialError = EntraError.noCredential();
        }
        if (credentialError != null) {
            return fail(credentialError);
        }
        if (delegatedGrant) {
            return delegated.token(grantType, app, tenant, form, lifetime, now);
        }
        String scope = form.get("scope");
        if (blank(scope)) {
            return fail(EntraError.missingParameter("scope"));
        }
        List<String> resources = new ArrayList<>(Arrays.asList(scope.trim().split("\\s+")));
        resources.removeIf(s -> IGNORED_SCOPES.contains(s.toLowerCase(Locale.ROOT)));
        if (resources.size() != 1 || !resources.get(0).endsWith("/.default")) {
            return fail(EntraError.invalidScope(String.join(" ", resources.isEmpty() ? List.of(scope) : resources)));
        }
        String resource = resources.get(0).substring(0, resources.get(0).length() - "/.default".length());
        if (!resource.equalsIgnoreCase(TokenIssuer.EXCHANGE_RESOURCE)) {
            return fail(EntraError.resourceNotFound(resource, tenant.displayName()));
        }
        String token = issuer.issue(app, tenant, assertion != null, lifetime, now);
        return new Result(null, Json.createObjectBuilder()
                .add("token_type", "Bearer")
                .add("expires_in", lifetime)
                .add("ext_expires_in", lifetime)
                .add("access_token", token)
                .build().toString());
    }

    private static EntraError verifySecret(AppRegistration app, String presented, Instant now) {
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        boolean expiredMatch = false;
        for (ClientSecret s : app.secrets()) {
            if (MessageDigest.isEqual(given, s.value().getBytes(StandardCharsets.UTF_8))) {
                if (!s.isExpired(now)) {
                    return null;
                }
                expiredMatch = true;
            }
        }
        return expiredMatch ? EntraError.expiredSecret(app.clientId()) : EntraError.invalidSecret(app.clientId());
    }

    @SuppressWarnings("deprecation") // x5t is SHA-1 by definition; MSAL sends it
    private EntraError verifyAssertion(AppRegistration app, EntraTenant tenant, String assertion, Instant now) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return EntraError.malformedAssertion();
        }
        if (claims.getIssuer() != null && claims.getIssuer().startsWith("https://")) {
            return verifyFederated(app, jwt, claims, now);
        }
        Base64URL x5t = jwt.getHeader().getX509CertThumbprint();
        Base64URL x5tS256 = jwt.getHeader().getX509CertSHA256Thumbprint();
        boolean verified = false;
        for (X509Certificate cert : app.certificates()) {
            boolean named = (x5t == null && x5tS256 == null)
                    || (x5t != null && sameThumbprint(x5t, cert, "SHA-1"))
                    || (x5tS256 != null && sameThumbprint(x5tS256, cert, "SHA-256"));
            if (named && JWSAlgorithm.Family.RSA.contains(jwt.getHeader().getAlgorithm())
                    && cert.getPublicKey() instanceof RSAPublicKey key && verifies(jwt, key)) {
                verified = true;
                break;
            }
        }
        if (!verified) {
            return EntraError.assertionSignature();
        }
        if (!app.clientId().equalsIgnoreCase(claims.getIssuer()) || !app.clientId().equalsIgnoreCase(claims.getSubject())) {
            return EntraError.assertionIssuer();
        }
        List<String> audiences = new ArrayList<>();
        for (String name : names(tenant)) {
            audiences.add((baseUrl + "/" + name + "/oauth2/v2.0/token").toLowerCase(Locale.ROOT));
            audiences.add((baseUrl + "/" + name + "/oauth2/token").toLowerCase(Locale.ROOT));
        }
        if (claims.getAudience().stream().noneMatch(a -> audiences.contains(a.toLowerCase(Locale.ROOT)))) {
            return EntraError.assertionAudience();
        }
        Date exp = claims.getExpirationTime();
        Date nbf = claims.getNotBeforeTime();
        if (exp == null || !now.isBefore(exp.toInstant()) || (nbf != null && now.plusSeconds(60).isBefore(nbf.toInstant()))) {
            return EntraError.assertionExpired(now, exp == null ? null : exp.toInstant());
        }
        return null;
    }

    /**
     * A federated credential's assertion (an external OIDC token, {@code iss} an https URL): a federated identity
     * record of the app for its issuer, subject and audience (AADSTS70021 otherwise), the issuer's signature
     * (AADSTS700027) and its validity (AADSTS700024).
     */
    private EntraError verifyFederated(AppRegistration app, SignedJWT jwt, JWTClaimsSet claims, Instant now) {
        String iss = claims.getIssuer();
        if (directory.federatedCredentials(app.clientId()).stream()
                .noneMatch(c -> c.matches(iss, claims.getSubject(), claims.getAudience()))) {
            return EntraError.noMatchingFederatedIdentity(iss, claims.getSubject(), claims.getAudience());
        }
        RSAPublicKey key = directory.issuerKey(iss).orElse(null);
        if (key == null || !JWSAlgorithm.Family.RSA.contains(jwt.getHeader().getAlgorithm()) || !verifies(jwt, key)) {
            return EntraError.federatedSignature(iss);
        }
        Date exp = claims.getExpirationTime();
        Date nbf = claims.getNotBeforeTime();
        if (exp == null || !now.isBefore(exp.toInstant()) || (nbf != null && now.plusSeconds(60).isBefore(nbf.toInstant()))) {
            return EntraError.assertionExpired(now, exp == null ? null : exp.toInstant());
        }
        return null;
    }

    /** MSAL4J sends the thumbprint in standard Base64, Entra's own tokens in Base64url: compare the bytes. */
    private static boolean sameThumbprint(Base64URL thumbprint, X509Certificate cert, String digest) {
        byte[] sent = java.util.Base64.getDecoder().decode(
                thumbprint.toString().replace('-', '+').replace('_', '/').replace("=", "")
                        + "===".substring(0, (4 - thumbprint.toString().replace("=", "").length() % 4) % 4));
        return java.util.Arrays.equals(sent, Base64URL.from(TokenIssuer.thumbprint(cert, digest)).decode());
    }

    private static boolean verifies(SignedJWT jwt, RSAPublicKey key) {
        try {
            return jwt.verify(new RSASSAVerifier(key));
        } catch (JOSEException e) {
            return false;
        }
    }

    private static List<String> names(EntraTenant tenant) {
        List<String> names = new ArrayList<>(tenant.domains());
        names.add(0, tenant.id());
        return names;
    }

    private static String[] basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static Result fail(EntraError error) {
        return new Result(error, null);
    }
}
