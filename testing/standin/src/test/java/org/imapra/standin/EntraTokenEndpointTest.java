package org.imapra.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EntraTokenEndpointTest {
    static final String TENANT = "0b6d2f4e-3c1a-4e8b-9f7d-2a5c8e1b4d60";
    static final String APP = "7f3c9a21-5b8e-4d2f-a6c1-9e0b3d4f5a72";
    static final String SECRET = "Zq8~xY3.kP9-sT4_mN7vB2cR6wL1jH5gF0dE";
    static final String NO_ROLE_APP = "11111111-2222-4333-8444-555555555555";
    static final String EXPIRED_APP = "22222222-3333-4444-8555-666666666666";
    static final String CERT_APP = "33333333-4444-4555-8666-777777777777";
    static final String MULTI_APP = "44444444-5555-4666-8777-888888888888";

    static EntraTokenEndpoint endpoint;
    static KeyPair certKeys;
    static X509Certificate cert;

    @BeforeAll
    static void start() {
        certKeys = LocalCertificates.rsaKeyPair();
        cert = LocalCertificates.selfSigned(certKeys, "imapra test app", Duration.ofDays(1));
        endpoint = EntraTokenEndpoint.builder()
                .tenant(TENANT, "contoso.example")
                .app(AppRegistration.builder(APP, TENANT).secret(SECRET).roles(AppRegistration.IMAP_ACCESS_AS_APP).build())
                .app(AppRegistration.builder(NO_ROLE_APP, TENANT).secret("no-role-secret").build())
                .app(AppRegistration.builder(EXPIRED_APP, TENANT)
                        .secret("old-secret", Instant.now().minus(Duration.ofDays(1))).build())
                .app(AppRegistration.builder(CERT_APP, TENANT).certificate(cert)
                        .roles(AppRegistration.IMAP_ACCESS_AS_APP).build())
                .app(AppRegistration.builder(MULTI_APP, TENANT).multiTenant().secret("m").build())
                .start();
    }

    @AfterAll
    static void stop() {
        endpoint.close();
    }

    @BeforeEach
    void reset() {
        endpoint.reset();
        endpoint.tokenLifetimeSeconds(EntraTokenEndpoint.DEFAULT_TOKEN_LIFETIME_SECONDS);
    }

    String url(String tenant) {
        return endpoint.tokenEndpoint(tenant);
    }

    @Test
    void issuesASignedExchangeTokenInEntrasShape() throws Exception {
        HttpResponse<String> response = Http.post(url(TENANT), Http.secretForm(APP, SECRET));
        assertEquals(200, response.statusCode(), response.body());
        JsonObject json = Http.json(response);
        assertEquals("Bearer", json.getString("token_type"));
        assertEquals(3599, json.getInt("expires_in"));
        assertEquals(3599, json.getInt("ext_expires_in"));
        assertEquals(4, json.size(), json.toString());

        SignedJWT jwt = SignedJWT.parse(json.getString("access_token"));
        JWKSet keys = JWKSet.parse(Http.get(endpoint.baseUrl() + "/" + TENANT + "/discovery/v2.0/keys").body());
        RSAKey key = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertNotNull(key, "kid must be in the JWKS");
        assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
        assertTrue(jwt.verify(new RSASSAVerifier(key)));
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals(List.of("https://outlook.office365.com"), claims.getAudience());
        assertEquals("https://sts.windows.net/" + TENANT + "/", claims.getIssuer());
        assertEquals(TENANT, claims.getStringClaim("tid"));
        assertEquals(APP, claims.getStringClaim("appid"));
        assertEquals(APP, claims.getStringClaim("azp"));
        assertEquals("1.0", claims.getStringClaim("ver"));
        assertEquals(claims.getStringClaim("oid"), claims.getSubject());
        assertEquals(List.of("IMAP.AccessAsApp"), claims.getStringListClaim("roles"));
        assertEquals(3599, (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000);
        assertNotNull(claims.getNotBeforeTime());

        TokenClaims valid = endpoint.validate(json.getString("access_token")).orElseThrow();
        assertEquals(APP, valid.appId());
        assertEquals(TENANT, valid.tenantId());
        assertTrue(valid.hasRole("IMAP.AccessAsApp"));
    }

    @Test
    void appWithoutThePermissionGetsATokenWithoutRoles() throws Exception {
        String token = Http.token(url("contoso.example"), NO_ROLE_APP, "no-role-secret");
        assertEquals(null, SignedJWT.parse(token).getJWTClaimsSet().getClaim("roles"));
        assertTrue(endpoint.validate(token).orElseThrow().roles().isEmpty());
    }

    @Test
    void errorsHaveEntrasCodesStatusesAndJson() {
        String correlation = UUID.randomUUID().toString();
        JsonObject unknownTenant = expectError(Http.post(url("fabrikam.example"), Http.secretForm(APP, SECRET),
                "client-request-id", correlation), 400, "invalid_request", 90002);
        assertTrue(unknownTenant.getString("error_description").contains("Tenant 'fabrikam.example' not found. Check"
                + " to make sure you have the correct tenant ID and are signing into the correct cloud."));
        assertEquals(correlation, unknownTenant.getString("correlation_id"));

        String unknownApp = UUID.randomUUID().toString();
        assertTrue(expectError(Http.post(url(TENANT), Http.secretForm(unknownApp, SECRET)), 400, "unauthorized_client",
                700016).getString("error_description").contains("Application with identifier '" + unknownApp
                + "' was not found in the directory 'contoso.example'"));
        assertTrue(expectError(Http.post(url(TENANT), Http.secretForm(APP, "wrong")), 401, "invalid_client", 7000215)
                .getString("error_description").contains("for a secret added to app '" + APP + "'."));
        expectError(Http.post(url(TENANT), Http.secretForm(EXPIRED_APP, "old-secret")), 401, "invalid_client", 7000222);
        Map<String, String> noSecret = Http.secretForm(APP, SECRET);
        noSecret.remove("client_secret");
        expectError(Http.post(url(TENANT), noSecret), 401, "invalid_client", 7000218);

        Map<String, String> delegatedScope = Http.secretForm(APP, SECRET);
        delegatedScope.put("scope", "https://outlook.office.com/IMAP.AccessAsUser.All offline_access");
        expectError(Http.post(url(TENANT), delegatedScope), 400, "invalid_scope", 70011);
        Map<String, String> twoResources = Http.secretForm(APP, SECRET);
        twoResources.put("scope", LocalM365.IMAP_SCOPE + " https://graph.microsoft.com/.default");
        expectError(Http.post(url(TENANT), twoResources), 400, "invalid_scope", 70011);

        expectError(Http.post(url("common"), Http.secretForm(APP, SECRET)), 400, "invalid_request", 50194);
        expectError(Http.post(url("organizations"), Http.secretForm(APP, SECRET)), 400, "invalid_request", 50194);
        expectError(Http.post(url("common"), Http.secretForm(MULTI_APP, "m")), 400, "invalid_request", 50059);

        Map<String, String> password = Http.secretForm(APP, SECRET);
        password.put("grant_type", "password");
        expectError(Http.post(url(TENANT), password), 400, "unsupported_grant_type", 70003);
        expectError(Http.get(url(TENANT)), 400, "invalid_request", 900561);
    }

    @Test
    void certificateAssertionIsVerified() throws Exception {
        String aud = url(TENANT);
        JsonObject ok = Http.json(Http.post(aud, assertionForm(assertion(certKeys, cert, CERT_APP, aud, 600))));
        String token = ok.getString("access_token");
        assertEquals("2", SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("appidacr"));
        assertTrue(endpoint.validate(token).isPresent());

        expectError(Http.post(aud, assertionForm(assertion(certKeys, cert, CERT_APP, "https://elsewhere/token", 600))),
                401, "invalid_client", 700023);
        KeyPair otherKeys = LocalCertificates.rsaKeyPair();
        expectError(Http.post(aud, assertionForm(assertion(otherKeys, cert, CERT_APP, aud, 600))),
                401, "invalid_client", 700027);
        expectError(Http.post(aud, assertionForm(assertion(certKeys, cert, CERT_APP, aud, -60))),
                401, "invalid_client", 700024);
        assertEquals(RecordedRequest.REDACTED, endpoint.requests().get(0).form().get("client_assertion"));
    }

    @Test
    void openIdConfigurationAndUnknownTenant() {
        HttpResponse<String> response = Http.get(endpoint.baseUrl() + "/contoso.example/v2.0/.well-known/openid-configuration");
        assertEquals(200, response.statusCode());
        JsonObject doc = Http.json(response);
        assertEquals(endpoint.baseUrl() + "/" + TENANT + "/v2.0", doc.getString("issuer"));
        assertEquals(endpoint.tokenEndpoint(TENANT), doc.getString("token_endpoint"));
        assertEquals(endpoint.baseUrl() + "/" + TENANT + "/oauth2/v2.0/authorize", doc.getString("authorization_endpoint"));
        assertEquals(endpoint.baseUrl() + "/" + TENANT + "/discovery/v2.0/keys", doc.getString("jwks_uri"));
        assertFalse(doc.isNull("tenant_region_scope"));
        expectError(Http.get(endpoint.baseUrl() + "/nobody.example/v2.0/.well-known/openid-configuration"),
                400, "invalid_request", 90002);
    }

    @Test
    void recordsRedactedRequestsAndInjectsFaults() {
        endpoint.failNext(2, 503);
        JsonObject fault = expectError(Http.post(url(TENANT), Http.secretForm(APP, SECRET)), 503,
                "temporarily_unavailable", 90033);
        assertNotNull(fault.getString("trace_id"));
        assertEquals(503, Http.post(url(TENANT), Http.secretForm(APP, SECRET)).statusCode());
        endpoint.delayMillis(150);
        long start = System.nanoTime();
        assertEquals(200, Http.post(url(TENANT), Http.secretForm(APP, SECRET)).statusCode());
        assertTrue(System.nanoTime() - start >= 150_000_000L);
        assertEquals(3, endpoint.tokenRequestCount());
        RecordedRequest first = endpoint.requests().get(0);
        assertEquals("POST", first.method());
        assertEquals("/" + TENANT + "/oauth2/v2.0/token", first.path());
        assertEquals(RecordedRequest.REDACTED, first.form().get("client_secret"));
        assertEquals(APP, first.form().get("client_id"));
        assertTrue(endpoint.requests().stream().noneMatch(r -> r.toString().contains(SECRET)));
    }

    @Test
    void validateRejectsExpiredAndForgedTokens() throws Exception {
        endpoint.tokenLifetimeSeconds(1);
        String shortLived = Http.token(url(TENANT), APP, SECRET);
        assertEquals(1, endpoint.requests().size());
        Instant exp = endpoint.validate(shortLived).map(TokenClaims::expiresAt).orElse(Instant.now());
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), exp).toMillis()) + 50);
        assertTrue(endpoint.validate(shortLived).isEmpty(), "expired token must not validate");

        endpoint.tokenLifetimeSeconds(600);
        SignedJWT real = SignedJWT.parse(Http.token(url(TENANT), APP, SECRET));
        SignedJWT forged = new SignedJWT(real.getHeader(), real.getJWTClaimsSet());
        forged.sign(new RSASSASigner(LocalCertificates.rsaKeyPair().getPrivate()));
        assertTrue(endpoint.validate(forged.serialize()).isEmpty(), "forged token must not validate");
        assertTrue(endpoint.validate("not-a-jwt").isEmpty());
    }

    @Test
    void jvmDefaultHttpsTrustsTheStandIn() throws Exception {
        LocalCertificates.jvm().trustInThisJvm().trustInThisJvm();
        assertNotNull(System.getProperty("javax.net.ssl.trustStore"));
        HttpsURLConnection connection = (HttpsURLConnection) new URL(endpoint.baseUrl() + "/" + TENANT
                + "/v2.0/.well-known/openid-configuration").openConnection();
        assertEquals(200, connection.getResponseCode());
        connection.disconnect();
    }

    static JsonObject expectError(HttpResponse<String> response, int status, String error, int code) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject json = Http.json(response);
        assertEquals(error, json.getString("error"));
        assertEquals(List.of(code), json.getJsonArray("error_codes").getValuesAs(jakarta.json.JsonNumber.class)
                .stream().map(jakarta.json.JsonNumber::intValue).toList());
        String description = json.getString("error_description");
        assertTrue(description.startsWith("AADSTS" + code + ": "), description);
        assertTrue(description.contains("\r\nTrace ID: " + json.getString("trace_id") + "\r\nCorrelation ID: "
                + json.getString("correlation_id") + "\r\nTimestamp: " + json.getString("timestamp")), description);
        assertTrue(json.getString("timestamp").matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ"));
        UUID.fromString(json.getString("trace_id"));
        UUID.fromString(json.getString("correlation_id"));
        assertEquals("https://login.microsoftonline.com/error?code=" + code, json.getString("error_uri"));
        return json;
    }

    @SuppressWarnings("deprecation")
    static String assertion(KeyPair keys, X509Certificate cert, String clientId, String audience, long validSeconds)
            throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                .jwtID(UUID.randomUUID().toString()).notBeforeTime(Date.from(now.minusSeconds(120)))
                .expirationTime(Date.from(now.plusSeconds(validSeconds))).build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .x509CertThumbprint(new Base64URL(TokenIssuer.thumbprint(cert, "SHA-1"))).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new RSASSASigner(keys.getPrivate()));
        return jwt.serialize();
    }

    static Map<String, String> assertionForm(String assertion) {
        return assertionForm(CERT_APP, assertion);
    }

    /** A client-credentials form with {@code assertion} as the client assertion of {@code clientId}. */
    static Map<String, String> assertionForm(String clientId, String assertion) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", assertion);
        form.put("scope", LocalM365.IMAP_SCOPE);
        return form;
    }
}
