package org.imapra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DefinitionValidationTest {

    static final String TENANT = "0b6d2f4e-3c1a-4e8b-9f7d-2a5c8e1b4d60";
    static final String CLIENT = "7f3c9a21-5b8e-4d2f-a6c1-9e0b3d4f5a72";
    static final String SECRET = "Zq8~xY3.kP9-sT4_mN7vB2cR6wL1jH5gF0dE";

    static DefinitionBuilder valid() {
        return MailboxDefinition.builder().userName("support@contoso.com").tenantId(TENANT).clientId(CLIENT)
                .clientSecret(SECRET);
    }

    @Test
    void defaultsFollowTheGlobalCloudAndTheTenantSpecificEndpoint() {
        MailboxDefinition d = valid().build();
        assertEquals("https://login.microsoftonline.com/" + TENANT + "/oauth2/v2.0/token", d.tokenEndpoint());
        assertEquals("outlook.office365.com", d.imapHost());
        assertEquals(993, d.imapPort());
        assertEquals("https://outlook.office365.com/.default", d.scope());
        assertEquals(SaslMechanism.XOAUTH2, d.saslMechanism());
        assertEquals(15_000, d.connectTimeoutMillis());
        assertEquals(60_000, d.readTimeoutMillis());
    }

    @Test
    void nationalCloudsSetAuthorityImapHostAndScope() {
        assertCloud("USGOV", "https://login.microsoftonline.us", "outlook.office365.us");
        assertCloud("USGOV_DOD", "https://login.microsoftonline.us", "outlook-dod.office365.us");
        assertCloud("china", "https://login.partner.microsoftonline.cn", "partner.outlook.cn");
    }

    private static void assertCloud(String cloud, String authority, String imapHost) {
        MailboxDefinition d = valid().cloud(cloud).build();
        assertEquals(authority + "/" + TENANT + "/oauth2/v2.0/token", d.tokenEndpoint());
        assertEquals(imapHost, d.imapHost());
        assertEquals("https://" + imapHost + "/.default", d.scope());
    }

    @Test
    void overridesWinAndAnAuthorityMayCarryAPort() {
        MailboxDefinition d = valid().authorityHost("https://localhost:8443/").imapHost("localhost").imapPort(1993)
                .tenantId("contoso.example").build();
        assertEquals("https://localhost:8443/contoso.example/oauth2/v2.0/token", d.tokenEndpoint());
        assertEquals("localhost", d.imapHost());
        assertEquals(1993, d.imapPort());
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("userName", b -> b.userName(null), "userName is required"),
                bad("userName", b -> b.userName("support"), "userName 'support' is not a mailbox address"),
                bad("tenantId", b -> b.tenantId(" "), "tenantId is required"),
                bad("tenantId", b -> b.tenantId("common"), "cannot be used: app-only"),
                bad("tenantId", b -> b.tenantId("organizations"), "AADSTS50194"),
                bad("tenantId", b -> b.tenantId("consumers"), "Directory (tenant) ID GUID"),
                bad("tenantId", b -> b.tenantId("not a tenant"), "neither a GUID nor a domain"),
                bad("clientId", b -> b.clientId(null), "clientId is required"),
                bad("clientId", b -> b.clientId("my-app"), "clientId 'my-app' is not a GUID"),
                bad("clientId", b -> b.clientId(TENANT), "same GUID as tenantId"),
                bad("clientSecret", b -> b.clientSecret((String) null), "no credential"),
                bad("clientSecret", b -> b.clientSecret("3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"),
                        "this looks like the secret's ID; paste its Value"),
                bad("clientSecret", b -> b.clientSecret(" " + SECRET), "white space"),
                bad("clientSecret", b -> b.certificatePath("/no/such/file.pem"), "either clientSecret or certificatePath"),
                bad("certificatePath", b -> b.clientSecret((String) null).certificatePath("/no/such/file.pem"),
                        "does not exist"),
                bad("certificatePassword", b -> b.certificatePassword("pw"), "certificatePath is not"),
                bad("cloud", b -> b.cloud("AZURE"), "cloud 'AZURE' is not one of GLOBAL, USGOV, USGOV_DOD, CHINA"),
                bad("authorityHost", b -> b.authorityHost("http://login.microsoftonline.com"), "must be an https URL"),
                bad("authorityHost", b -> b.authorityHost("https://login.microsoftonline.com/common"),
                        "just scheme, host and optional port"),
                bad("authorityHost", b -> b.authorityHost("https://host:70000"), "invalid port"),
                bad("imapHost", b -> b.imapHost("imaps://outlook.office365.com"), "is not a host name"),
                bad("imapPort", b -> b.imapPort(0), "imapPort 0 is not a TCP port"),
                bad("imapPort", b -> b.imapPort(70000), "imapPort 70000 is not a TCP port"),
                bad("scope", b -> b.scope("IMAP.AccessAsApp"), "must be one resource followed by /.default"),
                bad("saslMechanism", b -> b.saslMechanism("PLAIN"), "saslMechanism 'PLAIN' is not one of XOAUTH2, OAUTHBEARER"),
                bad("connectTimeoutMillis", b -> b.connectTimeoutMillis(-1), "positive number of milliseconds"),
                bad("readTimeoutMillis", b -> b.readTimeoutMillis(0), "readTimeoutMillis must be a positive"),
                bad("httpsProxy", b -> b.httpsProxy("proxy"), "httpsProxy 'proxy' must be host:port"),
                bad("httpsProxy", b -> b.httpsProxy("proxy:0"), "must be host:port"),
                bad("name", b -> b.name("<script>"), "may only contain letters"));
    }

    static Arguments bad(String property, UnaryOperator<DefinitionBuilder> change, String expected) {
        return Arguments.of(property, change, expected);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("badValues")
    void eachBadValueGivesAMessageNamingItsProperty(String property, UnaryOperator<DefinitionBuilder> change,
                                                    String expected) {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> change.apply(valid()).build());
        assertTrue(e.problems().stream().anyMatch(p -> p.property().equals(property)
                        && p.message().contains(expected) && p.message().contains(property)),
                () -> "expected a problem on " + property + " containing '" + expected + "', got " + e.problems());
        assertFalse(e.getMessage().contains(SECRET), "a secret leaked into: " + e.getMessage());
    }

    @Test
    void aTokenRenewalMarginReachesTheTokenRequestAndIsBounded() {
        assertEquals(null, DefinitionTokens.of(valid().build()).renewalMargin(), "automatic by default");
        MailboxDefinition d = valid().tokenRenewalMarginSeconds(900).build();
        assertEquals(java.time.Duration.ofMinutes(15), DefinitionTokens.of(d).renewalMargin());
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> valid().tokenRenewalMarginSeconds(3600).build());
        assertEquals("tokenRenewalMarginSeconds", e.problems().get(0).property(), e.getMessage());
        assertTrue(e.getMessage().contains("0 to 1800"), e.getMessage());
    }

    @Test
    void allProblemsAreReportedAtOnce() {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> MailboxDefinition.builder().tenantId("common").imapPort(0).build());
        assertEquals(5, e.problems().size(), e.problems().toString());
    }

    @Test
    void aGuidShapedSecretIsRefusedWithoutEchoingIt() {
        String secretId = "3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b";
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> valid().clientSecret(secretId).build());
        assertTrue(e.getMessage().contains("this looks like the secret's ID; paste its Value"), e.getMessage());
        assertFalse(e.getMessage().contains(secretId));
    }

    @Test
    void aCertificateIsAnAlternativeCredential(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("app.pem"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        MailboxDefinition d = valid().clientSecret((String) null).certificatePath(pem.toString())
                .certificatePassword("pw").build();
        assertTrue(d.usesCertificate());
        assertNull(d.clientSecret());
    }

    @Test
    void secretsNeverAppearInToString() {
        MailboxDefinition d = valid().build();
        assertFalse(d.toString().contains(SECRET), d.toString());
        assertFalse(d.clientSecret().toString().contains(SECRET));
        assertEquals(SECRET, d.clientSecret().reveal());
        assertEquals(8, d.clientSecret().fingerprint().length());
    }

    @Test
    void equalityIncludesTheSecretSoARotatedSecretMakesANewIdentity() {
        assertEquals(valid().build(), valid().build());
        assertFalse(valid().build().equals(valid().clientSecret("Other~Secret.Value_1234567890abcdefghij").build()));
        assertEquals(valid().build(), valid().build().toBuilder().build());
    }
}
