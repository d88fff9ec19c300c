package org.imapra.config;

import static org.imapra.config.DefinitionValidationTest.CLIENT;
import static org.imapra.config.DefinitionValidationTest.SECRET;
import static org.imapra.config.DefinitionValidationTest.TENANT;
import static org.imapra.config.DefinitionValidationTest.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.imapra.auth.ClientCredential;
import org.imapra.auth.TokenRequest;
import org.imapra.standin.LocalCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The credential kinds (secret, certificate file or key store entry, federated), their next ones and expiries. */
class CredentialValidationTest {

    static final String NEXT = "Nx7~aB3.cD9-eF4_gH7vJ2kL6mN1pQ5rS0tU";
    @TempDir
    static Path dir;
    static Path keyStore;
    static Path tokenFile;
    static Path emptyFile;

    @BeforeAll
    static void files() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (String alias : new String[] {"imapra-2026", "imapra-2027"}) {
            KeyPair keys = LocalCertificates.rsaKeyPair();
            ks.setKeyEntry(alias, keys.getPrivate(), "store-pw".toCharArray(),
                    new Certificate[] {LocalCertificates.selfSigned(keys, alias, Duration.ofDays(90))});
        }
        keyStore = dir.resolve("app.p12");
        try (OutputStream out = Files.newOutputStream(keyStore)) {
            ks.store(out, "store-pw".toCharArray());
        }
        tokenFile = Files.writeString(dir.resolve("token"), "eyJh.eyJz.c2ln");
        emptyFile = Files.writeString(dir.resolve("empty"), "");
    }

    @AfterEach
    void processEnvironment() {
        WorkloadIdentity.useEnvironment(null);
    }

    static DefinitionBuilder federated() {
        return valid().clientSecret((String) null).credential("FEDERATED").federatedTokenFile(tokenFile.toString());
    }

    static DefinitionBuilder inKeyStore() {
        return valid().clientSecret((String) null).certificateKeyStore(keyStore.toString())
                .certificateAlias("imapra-2026").certificatePassword("store-pw");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("credential", b -> b.credential("PASSWORD"), "not one of SECRET, CERTIFICATE, FEDERATED"),
                bad("federatedTokenFile", b -> federated().federatedTokenFile(null), "AZURE_FEDERATED_TOKEN_FILE"),
                bad("federatedTokenFile", b -> federated().federatedTokenFile("/no/such/token"), "does not exist"),
                bad("federatedTokenFile", b -> federated().federatedTokenFile(emptyFile.toString()), "is empty"),
                bad("clientSecret", b -> federated().clientSecret(SECRET), "cannot be used with a federated"),
                bad("certificateAlias", b -> inKeyStore().certificateAlias(null), "needs certificateAlias"),
                bad("certificateAlias", b -> inKeyStore().certificateAlias("imapra-2025"),
                        "the alias 'imapra-2025' is not in it (its aliases: "),
                bad("nextCertificateAlias", b -> inKeyStore().nextCertificateAlias("nope"), "'nope' is not in it"),
                bad("certificatePassword", b -> inKeyStore().certificatePassword("wrong"), "password"),
                bad("certificateKeyStore", b -> inKeyStore().certificateKeyStore("/no/such.p12"), "does not exist"),
                bad("certificatePath", b -> inKeyStore().certificatePath(tokenFile.toString()),
                        "either certificatePath or certificateKeyStore"),
                bad("nextCertificatePath", b -> inKeyStore().nextCertificatePath(keyStore.toString()),
                        "cannot be used with a certificate"),
                bad("clientSecret", b -> inKeyStore().credential("CERTIFICATE").clientSecret(SECRET),
                        "cannot be used with a certificate"),
                bad("nextClientSecret", b -> b.nextClientSecret(SECRET), "the same as clientSecret"),
                bad("nextClientSecret", b -> b.nextClientSecret(" " + NEXT), "white space"),
                bad("secretExpires", b -> b.secretExpires("30/06/2027"), "is not a date: write yyyy-MM-dd"),
                bad("secretExpires", b -> inKeyStore().secretExpires("2027-06-30"), "read from the certificate"),
                bad("nextSecretExpires", b -> b.nextSecretExpires("2027-06-30"), "nextClientSecret is not"),
                bad("clientSecret", b -> b.clientSecret("${ALIAS=no-such-alias}"),
                        "password alias 'no-such-alias', which this server does not have"));
    }

    static Arguments bad(String property, UnaryOperator<DefinitionBuilder> change, String expected) {
        return Arguments.of(property, change, expected);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("badValues")
    void eachBadCredentialValueIsNamed(String property, UnaryOperator<DefinitionBuilder> change, String expected) {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> change.apply(valid()).build());
        assertTrue(e.problems().stream().anyMatch(p -> p.property().equals(property)
                        && p.message().contains(expected) && p.message().contains(property.equals("credential")
                        ? "credential" : property)),
                () -> "expected a problem on " + property + " containing '" + expected + "', got " + e.problems());
        assertFalse(e.getMessage().contains(SECRET) || e.getMessage().contains("store-pw"), e.getMessage());
    }

    @Test
    void federatedTakesTenantClientAndTokenFileFromTheWorkloadIdentityEnvironment() {
        WorkloadIdentity.useEnvironment(Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", CLIENT,
                "AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString())::get);
        MailboxDefinition d = MailboxDefinition.builder().userName("support@contoso.com").credential("federated")
                .build();
        assertEquals(CredentialKind.FEDERATED, d.credentialKind());
        assertEquals(TENANT, d.tenantId());
        assertEquals(CLIENT, d.clientId());
        assertEquals(tokenFile.toString(), d.federatedTokenFile());
        assertEquals("FEDERATED", d.value(org.imapra.api.admin.MailboxProperty.CREDENTIAL));
        TokenRequest r = DefinitionTokens.of(d);
        assertEquals(ClientCredential.Kind.FEDERATED, r.credential().kind());
        assertEquals("federatedTokenFile", r.credential().property());
    }

    @Test
    void aSetTokenFileMakesTheCredentialFederatedAndOwnValuesWinOverTheEnvironment() {
        WorkloadIdentity.useEnvironment(Map.of("AZURE_TENANT_ID", "contoso.example")::get);
        MailboxDefinition d = federated().build();
        assertEquals(TENANT, d.tenantId());
        MailboxDefinition inferred = valid().clientSecret((String) null).federatedTokenFile(tokenFile.toString())
                .build();
        assertEquals(CredentialKind.FEDERATED, inferred.credentialKind());
    }

    @Test
    void theNextSecretAndTheKeyStoresNextAliasBecomeTheCredentialsNext() {
        MailboxDefinition secret = valid().nextClientSecret(NEXT).secretExpires("2027-01-31")
                .nextSecretExpires("2027-12-31").build();
        ClientCredential c = DefinitionTokens.of(secret).credential();
        assertEquals("clientSecret", c.property());
        assertEquals(Instant.parse("2027-01-31T00:00:00Z"), c.declaredExpiry());
        assertEquals("nextClientSecret", c.next().property());
        assertEquals(Instant.parse("2027-12-31T00:00:00Z"), c.next().declaredExpiry());
        assertFalse(c.fingerprint().equals(c.next().fingerprint()));

        MailboxDefinition store = inKeyStore().nextCertificateAlias("imapra-2027").build();
        ClientCredential k = DefinitionTokens.of(store).credential();
        assertEquals(ClientCredential.Kind.KEY_STORE, k.kind());
        assertEquals("certificateAlias", k.property());
        assertEquals("nextCertificateAlias", k.next().property());
        assertTrue(store.usesCertificate());
        assertTrue(store.credentialProblem().isEmpty(), store.credentialProblem().toString());
        assertFalse(store.toString().contains("store-pw"), store.toString());
    }

    @Test
    void aPasswordAliasReferenceIsNotCheckedAsASecretValueWhenReadFromTheStore() {
        MailboxDefinition d = valid().clientSecret("${ALIAS=imapra-support}").buildStored();
        assertEquals("imapra-support", d.clientSecret().aliasReference().orElseThrow());
    }
}
