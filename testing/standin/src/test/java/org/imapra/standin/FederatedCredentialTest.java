package org.imapra.standin;

import static org.imapra.standin.EntraTokenEndpointTest.expectError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Federated credentials at the stand-in's token endpoint: a token of a trusted OIDC issuer for the registered subject
 * and audience api://AzureADTokenExchange is accepted as the client assertion; others are refused as Entra does.
 */
class FederatedCredentialTest {
    static final String APP = "5a5a5a5a-1111-4222-8333-444444444444";
    static final String SUBJECT = "system:serviceaccount:mail:imapra";

    static LocalM365 m365;
    static OidcIssuer cluster;

    @BeforeAll
    static void start() {
        m365 = LocalM365.builder().tenant(LocalM365.DEFAULT_TENANT_ID, LocalM365.DEFAULT_DOMAIN)
                .app(AppRegistration.builder(APP, LocalM365.DEFAULT_TENANT_ID)
                        .roles(AppRegistration.IMAP_ACCESS_AS_APP).build())
                .start();
        cluster = OidcIssuer.create("https://oidc.cluster.test/7c1d");
        m365.trust(cluster, APP, SUBJECT);
    }

    @AfterAll
    static void stop() {
        m365.close();
    }

    static Map<String, String> form(String assertion) {
        return EntraTokenEndpointTest.assertionForm(APP, assertion);
    }

    @Test
    void trustedIssuerSubjectAndAudienceGetAToken() {
        JsonObject ok = Http.json(Http.post(m365.tokenEndpoint(), form(cluster.token(SUBJECT))));
        assertTrue(m365.tokens().validate(ok.getString("access_token")).isPresent());
        assertEquals(AppRegistration.IMAP_ACCESS_AS_APP,
                m365.tokens().validate(ok.getString("access_token")).get().roles().get(0));
    }

    @Test
    void untrustedIssuerOtherSubjectOrAudienceAreRefusedWith70021() {
        OidcIssuer stranger = OidcIssuer.create("https://token.actions.githubusercontent.test");
        JsonObject refused = expectError(Http.post(m365.tokenEndpoint(), form(stranger.token(SUBJECT))), 400,
                "invalid_request", 70021);
        assertTrue(refused.getString("error_description").contains("Assertion Issuer: '" + stranger.issuer() + "'"));
        expectError(Http.post(m365.tokenEndpoint(), form(cluster.token("system:serviceaccount:other:app"))), 400,
                "invalid_request", 70021);
        expectError(Http.post(m365.tokenEndpoint(), form(cluster.token(SUBJECT, "api://other",
                Instant.now().plus(Duration.ofHours(1))))), 400, "invalid_request", 70021);
    }

    @Test
    void expiredTokenIsRefusedWith700024() {
        expectError(Http.post(m365.tokenEndpoint(), form(cluster.token(SUBJECT,
                FederatedIdentityCredential.DEFAULT_AUDIENCE, Instant.now().minus(Duration.ofMinutes(5))))), 401,
                "invalid_client", 700024);
    }

    @Test
    void tokenSignedByAnotherKeyUnderTheTrustedIssuerIsRefusedWith700027() {
        OidcIssuer impostor = OidcIssuer.create(cluster.issuer());
        expectError(Http.post(m365.tokenEndpoint(), form(impostor.token(SUBJECT))), 401, "invalid_client", 700027);
    }

    @Test
    void revokedSecretIsRefusedWhileTheOtherStillWorks() {
        m365.addSecret(APP, "first~secret");
        m365.addSecret(APP, "second~secret");
        assertEquals(200, Http.post(m365.tokenEndpoint(), Http.secretForm(APP, "first~secret")).statusCode());
        m365.revokeSecret(APP, "first~secret");
        expectError(Http.post(m365.tokenEndpoint(), Http.secretForm(APP, "first~secret")), 401, "invalid_client",
                7000215);
        assertEquals(200, Http.post(m365.tokenEndpoint(), Http.secretForm(APP, "second~secret")).statusCode());
    }
}
