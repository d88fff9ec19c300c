package org.imapra.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.imapra.ImapResourceAdapter;
import org.imapra.api.admin.DefinitionException;
import org.imapra.api.admin.DefinitionInput;
import org.imapra.api.admin.DefinitionView;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.admin.PingReport;
import org.imapra.outbound.ImapManagedConnectionFactory;
import org.imapra.standin.AppRegistration;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API without a container: a resource adapter with a store in a temporary directory. */
class ImapMailboxAdminTest {

    static LocalM365 m365;
    @TempDir
    Path dir;
    ImapResourceAdapter ra;
    ImapMailboxAdmin admin;

    @BeforeAll
    static void start() {
        m365 = LocalM365.startDefault();
    }

    @AfterAll
    static void stop() {
        m365.close();
    }

    @BeforeEach
    void adapter() {
        ra = new ImapResourceAdapter();
        ra.setStoreDirectory(dir.toString());
        ra.start(null);
        admin = new ImapMailboxAdmin();
        admin.setResourceAdapter(ra);
    }

    static DefinitionInput input(String secret) {
        DefinitionInput in = new DefinitionInput();
        in.setName("support");
        in.setUserName(LocalM365.DEFAULT_MAILBOX);
        in.setTenantId(LocalM365.DEFAULT_TENANT_ID);
        in.setClientId(LocalM365.DEFAULT_CLIENT_ID);
        in.setClientSecret(secret == null ? null : secret.toCharArray());
        in.setAuthorityHost(m365.authorityHost());
        in.setImapHost(m365.imapHost());
        in.setImapPort(m365.imapsPort());
        return in;
    }

    @Test
    void createListGetUpdateDeleteWithVersionsAndAnAuditTrail() throws Exception {
        DefinitionView created = admin.create(input(LocalM365.DEFAULT_CLIENT_SECRET), "alice");
        assertEquals(1, created.version());
        assertTrue(created.secretSet());
        assertEquals(1, admin.list().size());
        assertEquals("support", admin.list().get(0).name());

        DefinitionInput edit = input(null);
        edit.setReadTimeoutMillis(30_000);
        DefinitionView updated = admin.update("support", 1, edit, "bob");
        assertEquals(2, updated.version());
        assertTrue(updated.secretSet(), "an empty secret on update keeps the stored one");
        assertEquals(created.secretChangedAt(), updated.secretChangedAt());

        DefinitionException conflict = assertThrows(DefinitionException.class,
                () -> admin.update("support", 1, input(null), "carol"));
        assertEquals(DefinitionException.Reason.CONFLICT, conflict.reason());
        assertTrue(conflict.getMessage().contains("changed by someone else"), conflict.getMessage());

        assertEquals(DefinitionException.Reason.ALREADY_EXISTS,
                assertThrows(DefinitionException.class, () -> admin.create(input("x~y"), "dave")).reason());

        admin.delete("support", 2, "erin");
        assertTrue(admin.get("support").isEmpty());
        String audit = Files.readString(dir.resolve("audit.log"));
        assertTrue(audit.contains("\"actor\":\"alice\"") && audit.contains("\"action\":\"create\""), audit);
        assertTrue(audit.contains("\"actor\":\"bob\"") && audit.contains("readTimeoutMillis"), audit);
        assertTrue(audit.contains("\"actor\":\"erin\"") && audit.contains("\"action\":\"delete\""), audit);
        assertNoSecretIn(dir, LocalM365.DEFAULT_CLIENT_SECRET);
    }

    @Test
    void invalidInputGivesOneMessagePerProperty() {
        DefinitionInput bad = input("3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b");
        bad.setTenantId("common");
        bad.setName(null);
        DefinitionException e = assertThrows(DefinitionException.class, () -> admin.create(bad, "alice"));
        assertEquals(DefinitionException.Reason.INVALID, e.reason());
        assertTrue(e.problems().get("tenantId").get(0).contains("common"));
        assertTrue(e.problems().get("clientSecret").get(0).contains("paste its Value"));
        assertFalse(e.getMessage().contains("3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"));
    }

    @Test
    void definitionsSurviveARestartAndApplicationsUseThemByNameWithNoRedeploy() throws Exception {
        admin.create(input(LocalM365.DEFAULT_CLIENT_SECRET), "alice");
        ImapResourceAdapter restarted = new ImapResourceAdapter();
        restarted.setStoreDirectory(dir.toString());
        restarted.start(null);
        ImapManagedConnectionFactory mcf = new ImapManagedConnectionFactory();
        mcf.setResourceAdapter(restarted);
        ImapConnectionFactory factory = (ImapConnectionFactory) mcf.createConnectionFactory();
        try (ImapConnection c = factory.getConnection("support")) {
            assertEquals(LocalM365.DEFAULT_MAILBOX, c.mailbox());
            c.status("INBOX");
        }
    }

    @Test
    void aRotatedSecretTakesEffectForNewConnectionsAtOnce() throws Exception {
        String client = "dddddddd-0000-4000-8000-000000000003";
        String oldSecret = "Old~Secret.Value_abcdefghijklmnopqrstuv";
        String newSecret = "New~Secret.Value_abcdefghijklmnopqrstuv";
        m365.tokens().directory().app(AppRegistration.builder(client, LocalM365.DEFAULT_TENANT_ID).secret(oldSecret)
                .roles(AppRegistration.IMAP_ACCESS_AS_APP).build());
        m365.mailServer().grantMailbox(client, LocalM365.DEFAULT_MAILBOX);
        DefinitionInput in = input(oldSecret);
        in.setClientId(client);
        admin.create(in, "alice");
        ImapManagedConnectionFactory mcf = new ImapManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        ImapConnectionFactory factory = (ImapConnectionFactory) mcf.createConnectionFactory();
        ImapConnection before = factory.getConnection("support");
        before.close();

        m365.tokens().directory().app(AppRegistration.builder(client, LocalM365.DEFAULT_TENANT_ID).secret(newSecret)
                .roles(AppRegistration.IMAP_ACCESS_AS_APP).build());
        DefinitionInput rotate = input(newSecret);
        rotate.setClientId(client);
        DefinitionView v = admin.update("support", 1, rotate, "alice");
        assertNotEquals(null, v.secretChangedAt());
        m365.tokens().reset();
        try (ImapConnection after = factory.getConnection("support")) {
            after.status("INBOX");
        }
        assertEquals(1, m365.tokens().tokenRequestCount(), "the new secret was used for a new token");
        assertNoSecretIn(dir, oldSecret);
        assertNoSecretIn(dir, newSecret);
    }

    /**
     * Hardening: an admin who edits where the credential or a token goes (authority, IMAP host or port, ...) and
     * leaves the secret empty must not make the adapter send the stored secret there. The other stand-in accepts
     * the same app and secret, so any request that reached it would have succeeded.
     */
    @Test
    void aStoredSecretIsNeverSentToANewDestination() throws Exception {
        try (LocalM365 other = LocalM365.startDefault()) {
            admin.create(input(LocalM365.DEFAULT_CLIENT_SECRET), "alice");
            java.util.List<java.util.function.Consumer<DefinitionInput>> moves = java.util.List.of(
                    e -> e.setAuthorityHost(other.authorityHost()),
                    e -> e.setImapPort(other.imapsPort()),
                    e -> e.setImapHost("imap.example.net"),
                    e -> e.setTenantId("contoso.example"),
                    e -> e.setScope("https://outlook.office365.us/.default"),
                    e -> e.setHttpsProxy("127.0.0.1:3128"),
                    e -> e.setCloud("USGOV"));
            for (java.util.function.Consumer<DefinitionInput> move : moves) {
                DefinitionInput edit = input(null);
                move.accept(edit);
                DefinitionException refused = assertThrows(DefinitionException.class,
                        () -> admin.update("support", 1, edit, "mallory"));
                assertEquals(DefinitionException.Reason.INVALID, refused.reason());
                assertTrue(refused.problems().get("clientSecret").get(0).startsWith("Enter the clientSecret again"),
                        refused.problems().toString());
                assertFalse(admin.ping(edit).ok(), "an unsaved edit without the secret cannot be pinged");
            }
            assertEquals(0, other.tokens().tokenRequestCount(), "no token request reached the other authority");
            assertTrue(other.mailServer().commandCounts().isEmpty(), "no IMAP command reached the other server: "
                    + other.mailServer().commandCounts());
            assertEquals(1, admin.get("support").orElseThrow().version(), "nothing was saved");
            assertTrue(admin.ping("support").ok(), "the stored definition still works where it was");

            DefinitionInput retyped = input(LocalM365.DEFAULT_CLIENT_SECRET);
            retyped.setAuthorityHost(other.authorityHost());
            retyped.setImapPort(other.imapsPort());
            assertEquals(2, admin.update("support", 1, retyped, "alice").version(),
                    "with the secret entered again the move is saved");
            assertTrue(admin.ping("support").ok());
            assertEquals(1, other.tokens().tokenRequestCount());
        }
    }

    /** Hardening: saving a definition affects new connections; a connection in use keeps working until closed. */
    @Test
    void aSaveLeavesConnectionsInUseWorking() throws Exception {
        admin.create(input(LocalM365.DEFAULT_CLIENT_SECRET), "alice");
        ImapManagedConnectionFactory mcf = new ImapManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        ImapConnectionFactory factory = (ImapConnectionFactory) mcf.createConnectionFactory();
        try (ImapConnection inUse = factory.getConnection("support")) {
            inUse.status("INBOX");
            DefinitionInput edit = input(null);
            edit.setReadTimeoutMillis(30_000);
            admin.update("support", 1, edit, "bob");
            inUse.status("INBOX");
            assertEquals(1, admin.status("support").connectionsInUse());
        }
        try (ImapConnection next = factory.getConnection("support")) {
            next.status("INBOX");
        }
        assertEquals(1, admin.status("support").connectionsIdle(), "the retired connection was replaced, not pooled again");
    }

    @Test
    void theLiveStatusShowsUntilWhenTheMailboxIsThrottled() throws Exception {
        admin.create(input(LocalM365.DEFAULT_CLIENT_SECRET), "alice");
        assertNull(admin.status("support").throttledUntil());
        ImapManagedConnectionFactory mcf = new ImapManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        ImapConnectionFactory factory = (ImapConnectionFactory) mcf.createConnectionFactory();
        m365.mailServer().throttle(LocalM365.DEFAULT_MAILBOX, java.time.Duration.ofMinutes(1));
        try {
            org.imapra.api.ImapThrottledException e = assertThrows(org.imapra.api.ImapThrottledException.class,
                    () -> factory.getConnection("support"));
            assertEquals(e.retryAfter(), admin.status("support").throttledUntil());
        } finally {
            m365.mailServer().clearFaults(LocalM365.DEFAULT_MAILBOX);
        }
    }

    static org.imapra.api.admin.PingStage stage(PingReport r, String name) {
        return r.stages().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aPingDoesNotContactAThrottledMailboxAndWhatItHearsIsHonouredByTheWholeAdapter() throws Exception {
        admin.create(input(LocalM365.DEFAULT_CLIENT_SECRET), "alice");
        ImapManagedConnectionFactory mcf = new ImapManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        ImapConnectionFactory factory = (ImapConnectionFactory) mcf.createConnectionFactory();
        m365.mailServer().throttle(LocalM365.DEFAULT_MAILBOX, java.time.Duration.ofMinutes(1));
        try {
            PingReport first = admin.ping("support");
            org.imapra.api.admin.PingStage auth = stage(first, "Authenticate");
            assertEquals(org.imapra.api.admin.PingStage.Status.FAILED, auth.status(), first.toString());
            assertTrue(auth.details().contains("Request is throttled"), auth.details());
            assertTrue(auth.hint().contains("waits as asked"), auth.hint());
            assertNotEquals(null, admin.status("support").throttledUntil(), "the ping's answer is honoured");

            long logins = m365.mailServer().loginCount(LocalM365.DEFAULT_MAILBOX);
            assertThrows(org.imapra.api.ImapThrottledException.class, () -> factory.getConnection("support"));
            PingReport second = admin.ping("support");
            org.imapra.api.admin.PingStage tls = stage(second, "TLS connection");
            assertEquals(org.imapra.api.admin.PingStage.Status.FAILED, tls.status(), second.toString());
            assertTrue(tls.details().contains("throttled"), tls.details());
            assertTrue(tls.hint().contains("waits as asked"), tls.hint());
            assertEquals(logins, m365.mailServer().loginCount(LocalM365.DEFAULT_MAILBOX),
                    "neither the factory nor the second ping logged in");
        } finally {
            m365.mailServer().clearFaults(LocalM365.DEFAULT_MAILBOX);
        }
    }

    @Test
    void aPingHoldsASlotOfTheConnectionBudgetAndNamesTheBudgetWhenItIsUsedUp() throws Exception {
        DefinitionInput in = input(LocalM365.DEFAULT_CLIENT_SECRET);
        in.setMaxConnectionsPerMailbox(1);
        in.setConnectTimeoutMillis(2_000); // how long the ping waits for a slot
        admin.create(in, "alice");
        assertTrue(admin.ping("support").ok(), "within the budget");
        ImapManagedConnectionFactory mcf = new ImapManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        ImapConnectionFactory factory = (ImapConnectionFactory) mcf.createConnectionFactory();
        try (ImapConnection held = factory.getConnection("support")) {
            long logins = m365.mailServer().loginCount(LocalM365.DEFAULT_MAILBOX);
            PingReport r = admin.ping("support");
            org.imapra.api.admin.PingStage tls = stage(r, "TLS connection");
            assertEquals(org.imapra.api.admin.PingStage.Status.FAILED, tls.status(), r.toString());
            assertTrue(tls.details().contains("maxConnectionsPerMailbox"), tls.details());
            assertEquals(logins, m365.mailServer().loginCount(LocalM365.DEFAULT_MAILBOX), "the ping did not log in");
            held.status("INBOX");
        }
    }

    /** Issue 16 with issue 18: what the adapter knows of a credential's expiry makes readiness DOWN 7 days before. */
    @Test
    void aCertificateExpiringIn5DaysMakesItsMailboxNotReadyAndASecretIn8DaysDoesNot() throws Exception {
        String client = "dddddddd-0000-4000-8000-000000000016";
        java.security.KeyPair keys = org.imapra.standin.LocalCertificates.rsaKeyPair();
        java.security.cert.X509Certificate soon = org.imapra.standin.LocalCertificates.selfSigned(keys,
                "imapra-5-days", java.time.Duration.ofDays(5));
        m365.tokens().directory().app(AppRegistration.builder(client, LocalM365.DEFAULT_TENANT_ID).certificate(soon)
                .roles(AppRegistration.IMAP_ACCESS_AS_APP).build());
        m365.mailServer().grantMailbox(client, LocalM365.DEFAULT_MAILBOX);
        DefinitionInput cert = input(null);
        cert.setClientId(client);
        cert.setCertificatePath(Files.writeString(dir.resolve("soon.pem"),
                org.imapra.standin.LocalCertificates.pem(keys, soon)).toString());
        admin.create(cert, "alice");
        DefinitionInput secret = input(LocalM365.DEFAULT_CLIENT_SECRET);
        secret.setName("later");
        secret.setSecretExpires(java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(8).toString());
        admin.create(secret, "alice");
        ImapManagedConnectionFactory mcf = new ImapManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        ImapConnectionFactory factory = (ImapConnectionFactory) mcf.createConnectionFactory();
        for (String name : java.util.List.of("support", "later")) {
            try (ImapConnection c = factory.getConnection(name)) {
                c.status("INBOX"); // both credentials still work: in use, and judged on their expiry alone
            }
        }
        org.imapra.api.admin.MailboxHealth support = health("support");
        assertFalse(support.up(), support.toString());
        assertTrue(support.reasons().stream().anyMatch(r -> r.contains("expires within 7 days")), support.toString());
        assertEquals(soon.getNotAfter().toInstant().toString(), support.data().get("credentialExpires"));
        org.imapra.api.admin.MailboxHealth later = health("later");
        assertTrue(later.up(), later.toString());
        assertNotEquals(null, admin.status("later").credentialExpires(), "the declared secretExpires is known");
    }

    private org.imapra.api.admin.MailboxHealth health(String name) {
        return admin.health().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void pingOfAStoredDefinitionIsRememberedForTheList() throws Exception {
        admin.create(input(LocalM365.DEFAULT_CLIENT_SECRET), "alice");
        PingReport r = admin.ping("support");
        assertTrue(r.ok(), r.toString());
        assertEquals(r, admin.list().get(0).lastPing());
        PingReport unknown = admin.ping("nope");
        assertFalse(unknown.ok());
        assertEquals(8, unknown.stages().size());
        assertNull(admin.list().get(0).status().activations().isEmpty() ? null : "activations");
    }

    @Test
    void aDefinitionWhoseCertificateFileWentMissingStaysListedEditableAndDeletable() throws Exception {
        Path pem = Files.writeString(dir.resolve("app.pem"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        DefinitionInput in = input(null);
        in.setCertificatePath(pem.toString());
        admin.create(in, "alice");
        Files.delete(pem);
        ImapResourceAdapter restarted = new ImapResourceAdapter();
        restarted.setStoreDirectory(dir.toString());
        restarted.start(null);
        admin.setResourceAdapter(restarted);

        assertEquals(1, admin.list().size(), "listed, not dropped");
        String problem = admin.list().get(0).problem();
        assertTrue(problem != null && problem.contains("certificatePath") && problem.contains(pem.toString()),
                String.valueOf(problem));
        assertTrue(admin.get("support").isPresent());
        PingReport ping = admin.ping("support");
        assertEquals("Definition", ping.failure().name());
        assertTrue(ping.failure().details().contains("certificatePath"), ping.toString());

        ImapManagedConnectionFactory mcf = new ImapManagedConnectionFactory();
        mcf.setResourceAdapter(restarted);
        ImapConnectionFactory factory = (ImapConnectionFactory) mcf.createConnectionFactory();
        Exception used = assertThrows(Exception.class, () -> factory.getConnection("support"));
        assertTrue(chain(used).contains("certificatePath '" + pem + "' does not exist"), chain(used));

        DefinitionException exists = assertThrows(DefinitionException.class,
                () -> admin.create(input(LocalM365.DEFAULT_CLIENT_SECRET), "bob"));
        assertEquals(DefinitionException.Reason.ALREADY_EXISTS, exists.reason());
        admin.delete("support", 1, "alice");
        assertTrue(admin.list().isEmpty());
        DefinitionException missing = assertThrows(DefinitionException.class, () -> admin.create(in, "bob"));
        assertEquals(DefinitionException.Reason.INVALID, missing.reason());
        assertTrue(missing.problems().get("certificatePath").get(0).contains("does not exist"), missing.problems()
                .toString());
    }

    @Test
    void aLostMasterKeyIsReportedByTheAdminApiAndNoNewKeyReplacesIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("IMAPRA_MASTER_KEY") == null);
        admin.create(input(LocalM365.DEFAULT_CLIENT_SECRET), "alice");
        Files.delete(dir.resolve("master.key"));
        ImapResourceAdapter restarted = new ImapResourceAdapter();
        restarted.setStoreDirectory(dir.toString());
        restarted.start(null);
        admin.setResourceAdapter(restarted);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> admin.list());
        assertTrue(e.getMessage().contains("IMAPRA_MASTER_KEY is not set") && e.getMessage().contains("support.json"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("master.key")));
    }

    private static String chain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" <- ");
        }
        return sb.toString();
    }

    private static void assertNoSecretIn(Path dir, String secret) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).contains(secret),
                        "the secret is readable in " + f);
            }
        }
    }

    @Test
    void aStoredNextSecretIsKeptWhenLeftEmptyAndDroppedWhenTypedAsTheCurrentOne() throws Exception {
        String next = "Nx7~aB3.cD9-eF4_gH7vJ2kL6mN1pQ5rS0tU";
        DefinitionInput in = input(LocalM365.DEFAULT_CLIENT_SECRET);
        in.setName("rotating");
        in.setNextClientSecret(next.toCharArray());
        DefinitionView created = admin.create(in, "alice");
        assertTrue(created.nextSecretSet());
        assertEquals("clientSecret", admin.status("rotating").credentialInUse());

        DefinitionInput edit = created.toInput();
        edit.setReadTimeoutMillis(20_000);
        DefinitionView kept = admin.update("rotating", created.version(), edit, "alice");
        assertTrue(kept.nextSecretSet(), "an empty field keeps the stored next secret");
        assertTrue(kept.secretSet(), "and the stored current one");

        DefinitionInput promote = kept.toInput();
        promote.setClientSecret(next.toCharArray());
        DefinitionView promoted = admin.update("rotating", kept.version(), promote, "alice");
        assertFalse(promoted.nextSecretSet(), "the next secret typed as the current one completes the rotation");
        assertTrue(admin.ping("rotating").stages().stream().noneMatch(st -> st.details().contains(next)));
    }
}
