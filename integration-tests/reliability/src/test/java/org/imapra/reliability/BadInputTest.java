package org.imapra.reliability;

import static org.imapra.reliability.Rig.await;
import static org.imapra.reliability.Rig.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.imapra.testsupport.ThreadWorkManager;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.imapra.ImapResourceAdapter;
import org.imapra.admin.ImapMailboxAdmin;
import org.imapra.api.admin.DefinitionException;
import org.imapra.api.admin.DefinitionInput;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.ImapConnectionLostException;
import org.imapra.api.ImapException;
import org.imapra.config.DefinitionBuilder;
import org.imapra.config.InvalidDefinitionException;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.Problem;
import org.imapra.inbound.ImapActivationSpec;
import org.imapra.outbound.ImapManagedConnectionFactory;
import org.imapra.outbound.NonManagedConnectionManager;
import org.imapra.testsupport.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input, table-driven over every config property of the managed connection factory, the activation spec and
 * definitions (builder and the console's MailboxAdmin): each malformed value is refused with a message naming the
 * property, and nothing is half created (no factory registered, no Work scheduled, no token request, no IMAP session,
 * no file in the store). Malformed server responses are in {@link MalformedResponseTest}.
 */
@Order(10)
@DisplayName("Bad input: every config property with malformed values")
@Timeout(60)
class BadInputTest {

    static final String GUID = "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b";

    /** One malformed input: the property expected in the message and the values to set (pairs). */
    record Row(String property, String label, Object... settings) {
        @Override
        public String toString() {
            return property + " = " + label;
        }
    }

    static ThreadWorkManager ctx;
    static ImapResourceAdapter ra;
    static ImapMailboxAdmin admin;
    static Path store;

    @BeforeAll
    static void start() throws Exception {
        Rig.reset();
        ctx = new ThreadWorkManager("reliability-work", Evidence::exception);
        ra = Rig.adapter(ctx);
        store = Path.of(ra.getStoreDirectory());
        admin = new ImapMailboxAdmin();
        admin.setResourceAdapter(ra);
    }

    @AfterAll
    static void stop() throws Exception {
        ra.stop();
        Evidence.files(store);
    }

    private static Row row(String property, String label, Object... settings) {
        return new Row(property, label, settings);
    }

    /** Malformed values of the definition properties (shared by factory, activation spec and definitions). */
    static List<Row> definitionRows() {
        return List.of(
                row("userName", "empty", "userName", ""),
                row("userName", "whitespace", "userName", "   "),
                row("userName", "not an address", "userName", "support"),
                row("userName", "a GUID (wrong field)", "userName", GUID),
                row("tenantId", "empty", "tenantId", ""),
                row("tenantId", "whitespace", "tenantId", " \t "),
                row("tenantId", "common", "tenantId", "common"),
                row("tenantId", "organizations", "tenantId", "organizations"),
                row("tenantId", "consumers", "tenantId", "Consumers"),
                row("tenantId", "a URL", "tenantId", "https://login.microsoftonline.com/contoso.com"),
                row("tenantId", "garbage", "tenantId", "not a tenant!"),
                row("clientId", "empty", "clientId", ""),
                row("clientId", "a domain (wrong type)", "clientId", "contoso.com"),
                row("clientId", "a number (wrong type)", "clientId", "12345"),
                row("clientId", "the tenant's GUID (wrong field)", "clientId", Rig.TENANT),
                row("clientSecret", "empty (no credential)", "clientSecret", ""),
                row("clientSecret", "a GUID: the secret's ID, not its value", "clientSecret", GUID),
                row("clientSecret", "padded with white space", "clientSecret", " " + Evidence.SECRET + " "),
                row("clientSecret", "and a certificate", "certificatePath", "pom.xml"),
                row("certificatePath", "missing file", "clientSecret", null, "certificatePath",
                        "/nonexistent/imapra/cert.pem"),
                row("certificatePath", "a directory", "clientSecret", null, "certificatePath", "."),
                row("certificatePassword", "without certificatePath", "certificatePassword", "pfx-password"),
                row("certificateKeyStore", "missing file", "clientSecret", null, "certificateKeyStore",
                        "/nonexistent/imapra/keystore.p12", "certificateAlias", "imapra"),
                row("certificateAlias", "without certificateKeyStore", "certificateAlias", "imapra"),
                row("credential", "unknown", "credential", "PASSWORD"),
                row("federatedTokenFile", "missing file", "clientSecret", null, "credential", "FEDERATED",
                        "federatedTokenFile", "/nonexistent/imapra/token"),
                row("federatedTokenFile", "with a client secret", "federatedTokenFile", "pom.xml"),
                row("nextClientSecret", "the current secret again", "nextClientSecret", Evidence.SECRET),
                row("nextClientSecret", "a GUID: the secret's ID", "nextClientSecret", GUID),
                row("nextCertificatePath", "with a client secret", "nextCertificatePath", "pom.xml"),
                row("nextCertificateAlias", "with a client secret", "nextCertificateAlias", "imapra-next"),
                row("secretExpires", "not yyyy-MM-dd", "secretExpires", "31.12.2027"),
                row("nextSecretExpires", "without nextClientSecret", "nextSecretExpires", "2027-12-31"),
                row("cloud", "unknown cloud", "cloud", "MARS"),
                row("cloud", "a number (wrong type)", "cloud", "42"),
                row("authorityHost", "http authority", "authorityHost", "http://login.microsoftonline.com"),
                row("authorityHost", "port 0", "authorityHost", "https://localhost:0"),
                row("authorityHost", "port 70000", "authorityHost", "https://localhost:70000"),
                row("authorityHost", "with the tenant path", "authorityHost",
                        "https://login.microsoftonline.com/contoso.com"),
                row("authorityHost", "not a URL", "authorityHost", "login microsoftonline com"),
                row("authorityHost", "ftp scheme", "authorityHost", "ftp://login.microsoftonline.com"),
                row("imapHost", "with a port", "imapHost", "outlook.office365.com:993"),
                row("imapHost", "a URL", "imapHost", "https://outlook.office365.com"),
                row("imapHost", "garbage", "imapHost", "bad host!"),
                row("imapPort", "port 0", "imapPort", 0),
                row("imapPort", "port 70000", "imapPort", 70_000),
                row("imapPort", "negative", "imapPort", -993),
                row("scope", "without /.default", "scope", "https://outlook.office365.com"),
                row("scope", "a permission name", "scope", "IMAP.AccessAsApp"),
                row("scope", "two resources", "scope", "https://a.example/.default https://b.example/.default"),
                row("saslMechanism", "PLAIN", "saslMechanism", "PLAIN"),
                row("saslMechanism", "a boolean (wrong type)", "saslMechanism", "true"),
                row("connectTimeoutMillis", "negative", "connectTimeoutMillis", -1),
                row("connectTimeoutMillis", "zero", "connectTimeoutMillis", 0),
                row("readTimeoutMillis", "negative", "readTimeoutMillis", -5_000),
                row("readTimeoutMillis", "zero", "readTimeoutMillis", 0),
                row("maxConnectionsPerMailbox", "zero", "maxConnectionsPerMailbox", 0),
                row("maxConnectionsPerMailbox", "negative", "maxConnectionsPerMailbox", -3),
                row("tokenRenewalMarginSeconds", "negative", "tokenRenewalMarginSeconds", -60),
                row("tokenRenewalMarginSeconds", "longer than half an hour", "tokenRenewalMarginSeconds", 3_600),
                row("httpsProxy", "no port", "httpsProxy", "proxy.example.com"),
                row("httpsProxy", "port 0", "httpsProxy", "proxy.example.com:0"),
                row("httpsProxy", "port 70000", "httpsProxy", "proxy.example.com:70000"),
                row("httpsProxy", "a URL", "httpsProxy", "http://proxy.example.com:3128"),
                row("authMode", "unknown", "authMode", "PASSWORD"),
                row("authMode", "a number (wrong type)", "authMode", "2"));
    }

    /** Malformed values of the activation spec's own properties. */
    static List<Row> specRows() {
        return List.of(
                row("mailbox", "unknown mailbox name", "userName", null, "tenantId", null, "clientId", null,
                        "clientSecret", null, "mailbox", "no-such-mailbox"),
                row("mailbox", "and an inline definition", "mailbox", "support"),
                row("mailbox", "neither mailbox nor inline definition", "userName", null, "tenantId", null,
                        "clientId", null, "clientSecret", null),
                row("folder", "empty", "folder", ""),
                row("folder", "whitespace", "folder", "   "),
                row("mode", "unknown", "mode", "PUSH"),
                row("mode", "a number (wrong type)", "mode", "1"),
                row("pollIntervalSeconds", "zero", "pollIntervalSeconds", 0),
                row("pollIntervalSeconds", "negative", "pollIntervalSeconds", -60),
                row("pollIntervalSeconds", "more than a day", "pollIntervalSeconds", 86_401),
                row("idleRenewSeconds", "zero", "idleRenewSeconds", 0),
                row("idleRenewSeconds", "beyond 29 minutes", "idleRenewSeconds", 1_741),
                row("idleCheckSeconds", "zero", "idleCheckSeconds", 0),
                row("idleCheckSeconds", "beyond 29 minutes", "idleCheckSeconds", 1_741),
                row("searchFilter", "unknown keyword", "searchFilter", "FLAGGED"),
                row("searchFilter", "unknown criterion", "searchFilter", "UNSEEN; to=someone"),
                row("searchFilter", "ALL with MARK_SEEN", "searchFilter", "ALL"),
                row("maxMessagesPerBatch", "zero", "maxMessagesPerBatch", 0),
                row("maxMessagesPerBatch", "too many", "maxMessagesPerBatch", 10_001),
                row("afterDelivery", "unknown", "afterDelivery", "ARCHIVE"),
                row("afterDelivery", "a boolean (wrong type)", "afterDelivery", "true"),
                row("moveTo", "MOVE without moveTo", "afterDelivery", "MOVE"),
                row("moveTo", "MOVE to the folder read", "afterDelivery", "MOVE", "moveTo", "INBOX"),
                row("moveTo", "set with DELETE", "afterDelivery", "DELETE", "moveTo", "Processed"),
                row("maxAttempts", "zero", "maxAttempts", 0),
                row("maxAttempts", "too many", "maxAttempts", 1_001),
                row("errorFolder", "the folder read", "errorFolder", "INBOX"),
                row("retryBackoffMillis", "negative", "retryBackoffMillis", -1L),
                row("retryBackoffMillis", "zero", "retryBackoffMillis", 0L),
                row("maxRetryBackoffMillis", "smaller than retryBackoffMillis", "retryBackoffMillis", 5_000L,
                        "maxRetryBackoffMillis", 1_000L),
                row("maxRetryBackoffMillis", "negative", "maxRetryBackoffMillis", -1L),
                row("maxConcurrency", "zero", "maxConcurrency", 0),
                row("maxConcurrency", "more than 64", "maxConcurrency", 65));
    }

    /** Malformed values of the factory's own property. */
    static List<Row> factoryRows() {
        return List.of(row("mailboxName", "with spaces and '!'", "mailboxName", "bad name!"),
                row("mailboxName", "<script>", "mailboxName", "<script>alert(1)</script>"));
    }

    // ---- setting values the way a container (or the console) does ------------------------------------------

    private static void set(Object target, String property, Object value) throws Exception {
        boolean builder = target instanceof DefinitionBuilder;
        String method = builder ? property : "set" + Character.toUpperCase(property.charAt(0)) + property.substring(1);
        Method found = null;
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == 1) {
                Class<?> p = m.getParameterTypes()[0];
                if (found == null || p == String.class || p == char[].class || p == Integer.class || p == Long.class) {
                    found = m;
                }
                if (p == String.class) {
                    break;
                }
            }
        }
        if (found == null) {
            throw new IllegalArgumentException(target.getClass().getSimpleName() + " has no property " + property);
        }
        Class<?> p = found.getParameterTypes()[0];
        Object v = value;
        if (value != null && p == char[].class) {
            v = value.toString().toCharArray();
        } else if (value instanceof Number n && (p == Long.class || p == long.class)) {
            v = n.longValue();
        } else if (value instanceof Number n && (p == Integer.class || p == int.class)) {
            v = n.intValue();
        }
        found.invoke(target, v);
    }

    /** Whether every property of the row exists on {@code target} (the console's input may lag the properties). */
    private static boolean settable(Object target, Row r) {
        for (int i = 0; i + 1 < r.settings().length; i += 2) {
            String property = (String) r.settings()[i];
            String method = target instanceof DefinitionBuilder ? property
                    : "set" + Character.toUpperCase(property.charAt(0)) + property.substring(1);
            if (java.util.Arrays.stream(target.getClass().getMethods()).noneMatch(m -> m.getName().equals(method)
                    && m.getParameterCount() == 1)) {
                return false;
            }
        }
        return true;
    }

    private static void apply(Object target, Row r) throws Exception {
        for (int i = 0; i + 1 < r.settings().length; i += 2) {
            set(target, (String) r.settings()[i], r.settings()[i + 1]);
        }
    }

    /** What a refused input must leave untouched. */
    record Snapshot(Set<String> registered, int work, int tokenRequests, int sessions, List<String> storeFiles) {
        static Snapshot take() throws Exception {
            try (Stream<Path> files = Files.list(store)) {
                return new Snapshot(ra.context().registry().names(), ctx.workCount(),
                        Rig.m365().tokens().tokenRequestCount(), Rig.m365().mailServer().openSessionCount(),
                        files.map(f -> f.getFileName().toString())
                                .filter(f -> f.endsWith(".json") || f.equals("audit.log")).sorted().toList());
            }
        }

        /** What changed since {@code before}: empty when nothing was half created. */
        String since(Snapshot before) {
            List<String> what = new ArrayList<>();
            if (!registered.equals(before.registered)) {
                what.add("registered " + registered);
            }
            if (work != before.work) {
                what.add((work - before.work) + " Work scheduled");
            }
            if (tokenRequests != before.tokenRequests) {
                what.add((tokenRequests - before.tokenRequests) + " token requests");
            }
            if (sessions > before.sessions) {
                what.add((sessions - before.sessions) + " IMAP sessions");
            }
            if (!storeFiles.equals(before.storeFiles)) {
                what.add("store files " + storeFiles);
            }
            return String.join(", ", what);
        }
    }

    /** Checks one refusal; returns a failure description, or null. */
    private static String check(Row r, Throwable e, List<Problem> problems, Snapshot before) throws Exception {
        Evidence.exception(e);
        String message = e.getMessage() == null ? "" : e.getMessage();
        List<String> wrong = new ArrayList<>();
        if (!message.contains(r.property())) {
            wrong.add("the message does not name " + r.property() + ": " + message);
        }
        if (problems != null && problems.stream().noneMatch(p -> p.property().equals(r.property()))) {
            wrong.add("no problem for " + r.property() + ": " + problems);
        }
        if (Evidence.occurrences(message) > 0) {
            wrong.add("the secret is in the message");
        }
        String half = Snapshot.take().since(before);
        if (!half.isEmpty()) {
            wrong.add("half created: " + half);
        }
        System.out.println("BAD-INPUT " + r + " -> " + (wrong.isEmpty() ? "refused: " : "WRONG: " + wrong + " ")
                + message);
        return wrong.isEmpty() ? null : r + ": " + String.join("; ", wrong);
    }

    private static void report(String scenario, String note, List<Row> rows, List<String> failures) {
        Set<String> properties = new TreeSet<>();
        rows.forEach(r -> properties.add(r.property()));
        Figures.record(scenario, note, "rows", rows.size(), "properties", properties.size(),
                "refusedNamingTheProperty", rows.size() - failures.size(), "wrong", failures.size());
        assertEquals(List.of(), failures, "malformed values not refused as they should be");
    }

    private static List<Problem> problemsOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidDefinitionException d) {
                return d.problems();
            }
        }
        return null;
    }

    // ---- the tables ----------------------------------------------------------------------------------------

    @Test
    @DisplayName("connection factory: createConnectionFactory() refuses, naming the property; nothing registered")
    void connectionFactory() throws Exception {
        factoryTable("bad-input/connection-factory", null, definitionRows());
    }

    /**
     * Regression test for an adapter bug this suite found: an invalid {@code mailboxName} of the connection factory
     * was refused with "name 'bad name!' may only contain ..." and a {@link Problem} for property {@code name}: the
     * factory has no property {@code name}, so the administrator was not told which property to fix.
     */
    @Test
    @DisplayName("connection factory mailboxName: the message names mailboxName (regression: it said 'name')")
    void connectionFactoryMailboxName() throws Exception {
        factoryTable("bad-input/connection-factory-mailboxName", null, factoryRows());
    }

    private void factoryTable(String scenario, String note, List<Row> rows) throws Exception {
        List<String> failures = new ArrayList<>();
        for (Row r : rows) {
            ImapManagedConnectionFactory mcf = Rig.factory(ra);
            mcf.setMailboxName("bad-input"); // registered if it were created
            apply(mcf, r);
            Evidence.objects(mcf);
            Snapshot before = Snapshot.take();
            try {
                mcf.createConnectionFactory();
                failures.add(r + ": accepted");
            } catch (ResourceException e) {
                String f = check(r, e, problemsOf(e), before);
                if (f != null) {
                    failures.add(f);
                }
                if (!(e instanceof InvalidPropertyException)) {
                    failures.add(r + ": " + e.getClass().getSimpleName() + " instead of InvalidPropertyException");
                }
            }
        }
        report(scenario, note, rows, failures);
    }

    @Test
    @DisplayName("activation spec: endpointActivation refuses, naming the property; no Work, no session")
    void activationSpec() throws Exception {
        List<Row> rows = new ArrayList<>(definitionRows());
        rows.addAll(specRows());
        List<String> failures = new ArrayList<>();
        Endpoints endpoints = new Endpoints();
        for (Row r : rows) {
            ImapActivationSpec spec = Rig.spec(ra);
            apply(spec, r);
            Evidence.objects(spec);
            Snapshot before = Snapshot.take();
            try {
                ra.endpointActivation(endpoints, spec);
                failures.add(r + ": activated");
                ra.endpointDeactivation(endpoints, spec);
            } catch (ResourceException e) {
                String f = check(r, e, problemsOf(e), before);
                if (f != null) {
                    failures.add(f);
                }
            }
        }
        report("bad-input/activation-spec", null, rows, failures);
    }

    @Test
    @DisplayName("definitions: MailboxDefinition.builder() and the console's MailboxAdmin refuse; nothing stored")
    void definitions() throws Exception {
        List<Row> rows = new ArrayList<>(definitionRows());
        rows.add(row("name", "with spaces", "name", "bad name!"));
        rows.add(row("name", "<script>", "name", "<script>alert(1)</script>"));
        List<String> failures = new ArrayList<>();
        Set<String> notInConsole = new TreeSet<>();
        int n = 0;
        for (Row r : rows) {
            DefinitionBuilder b = MailboxDefinition.builder().name("bad-input-" + (++n)).userName(Rig.MAILBOX)
                    .tenantId(Rig.TENANT).clientId(Rig.CLIENT).clientSecret(Evidence.SECRET)
                    .authorityHost(Rig.authorityHost()).imapHost("localhost").imapPort(Rig.imapProxy().port());
            apply(b, r);
            Snapshot before = Snapshot.take();
            try {
                failures.add(r + ": built " + Evidence.objects(b.build()));
            } catch (InvalidDefinitionException e) {
                String f = check(r, e, e.problems(), before);
                if (f != null) {
                    failures.add("builder " + f);
                }
            }
            DefinitionInput in = new DefinitionInput();
            in.setName("bad-input-" + n);
            in.setUserName(Rig.MAILBOX);
            in.setTenantId(Rig.TENANT);
            in.setClientId(Rig.CLIENT);
            in.setClientSecret(Evidence.SECRET.toCharArray());
            in.setAuthorityHost(Rig.authorityHost());
            in.setImapHost("localhost");
            in.setImapPort(Rig.imapProxy().port());
            if (!settable(in, r)) {
                notInConsole.add(r.property());
                continue;
            }
            apply(in, r);
            Evidence.objects(in);
            before = Snapshot.take();
            try {
                admin.create(in, "reliability");
                failures.add(r + ": stored by MailboxAdmin");
            } catch (DefinitionException e) {
                String f = check(r, e, null, before);
                if (admin.get("bad-input-" + n).isPresent()) {
                    failures.add("MailboxAdmin " + r + ": stored anyway");
                }
                if (f != null) {
                    failures.add("MailboxAdmin " + f);
                }
                if (e.reason() != DefinitionException.Reason.INVALID || !e.problems().containsKey(r.property())) {
                    failures.add("MailboxAdmin " + r + ": " + e.reason() + " " + e.problems().keySet());
                }
            }
        }
        report("bad-input/definitions", "each row through MailboxDefinition.builder() and MailboxAdmin.create "
                + "(what the console calls)" + (notInConsole.isEmpty() ? "" : "; not in the console's "
                + "DefinitionInput, so builder only: " + notInConsole), rows, failures);
    }

    @Test
    @DisplayName("every config property appears in the tables")
    void everyPropertyIsCovered() {
        Set<String> covered = new TreeSet<>();
        Stream.of(definitionRows(), specRows(), factoryRows()).flatMap(List::stream)
                .forEach(r -> covered.add(r.property()));
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        for (Class<?> c : List.of(ImapManagedConnectionFactory.class, ImapActivationSpec.class)) {
            for (Method m : c.getMethods()) {
                if (m.isAnnotationPresent(ConfigProperty.class)) {
                    String p = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
                    if (!covered.contains(p)) {
                        missing.computeIfAbsent(c.getSimpleName(), k -> new TreeSet<>()).add(p);
                    }
                }
            }
        }
        Figures.record("bad-input/coverage", "Integer and Long properties get numbers only: a non-number is "
                        + "refused by the container's type conversion before the adapter sees it, so \"wrong type\" "
                        + "rows use the String properties", "propertiesCovered", covered.size(), "uncovered",
                missing);
        assertEquals(Map.of(), missing, "config properties without a malformed-value row");
    }

    // ---- unknown folders, at run time ----------------------------------------------------------------------

    @Test
    @DisplayName("unknown folder / moveTo: SEVERE naming the property, nothing delivered; outbound: a clear error")
    void unknownFolders() throws Exception {
        LogCapture logs = LogCapture.install("org.imapra");
        ThreadWorkManager work = new ThreadWorkManager("reliability-work", Evidence::exception);
        ImapResourceAdapter own = Rig.adapter(work);
        Endpoints endpoints = new Endpoints();
        List<String> seen = new ArrayList<>();
        try {
            Rig.deliver("stays");
            for (String[] c : List.of(new String[] {"folder", "NoSuchFolder"},
                    new String[] {"moveTo", "NoSuchArchive"})) {
                ImapActivationSpec spec = Rig.spec(own);
                if (c[0].equals("folder")) {
                    spec.setFolder(c[1]);
                } else {
                    spec.setAfterDelivery("MOVE");
                    spec.setMoveTo(c[1]);
                }
                logs.clear();
                own.endpointActivation(endpoints, spec);
                try {
                    String missing = c[0] + " '" + c[1] + "' does not exist";
                    await(Duration.ofSeconds(10), () -> !logs.messages(Level.SEVERE, m -> m.contains(missing))
                            .isEmpty(), () -> "no SEVERE line naming " + c[0] + ": "
                            + logs.messages(Level.SEVERE, m -> true));
                } finally {
                    own.endpointDeactivation(endpoints, spec);
                }
                seen.add(logs.messages(Level.SEVERE, m -> m.contains(c[1])).stream().findFirst().orElse(""));
            }
            assertEquals(List.of(), endpoints.subjects(), "nothing delivered that could not be acknowledged");
            assertEquals(List.of("stays"), Rig.subjects("INBOX", false));
        } finally {
            own.stop();
            logs.uninstall();
        }
        assertTrue(work.awaitNoLiveThreads(Duration.ofSeconds(6)));

        NonManagedConnectionManager pool = new NonManagedConnectionManager(2, 5_000);
        ImapConnectionFactory f = (ImapConnectionFactory) Rig.factory(ra).createConnectionFactory(pool);
        String outbound;
        try (ImapConnection c = f.getConnection()) {
            ImapException e = expect(ImapException.class, () -> c.status("NoSuchFolder"));
            assertFalse(e instanceof ImapConnectionLostException, "a failed command is not a lost connection");
            assertTrue(e.getMessage().contains("NoSuchFolder") && e.getMessage().contains(Rig.MAILBOX),
                    e.getMessage());
            outbound = e.getMessage();
            assertEquals(1, c.status("INBOX").messages(), "the connection is still usable");
        } finally {
            pool.close();
        }
        assertTrue(Rig.m365().mailServer().awaitOpenSessionCount(0, Duration.ofSeconds(5)));
        Figures.record("bad-input/unknown-folder", "inbound: " + seen.get(0).lines().findFirst().orElse("")
                        .replaceAll("\\(tenant [^)]*\\)", "(...)"), "inboundDelivered", 0, "outbound",
                "\"" + outbound.lines().findFirst().orElse("") + "\"");
    }

    @Test
    @DisplayName("unknown mailbox name: getConnection(name) and mailbox=name name the definitions that exist")
    void unknownMailboxName() throws Exception {
        ImapManagedConnectionFactory mcf = Rig.factory(ra);
        mcf.setMailboxName("support");
        NonManagedConnectionManager pool = new NonManagedConnectionManager(2, 5_000);
        ImapConnectionFactory f = (ImapConnectionFactory) mcf.createConnectionFactory(pool);
        try {
            ImapException e = expect(ImapException.class, () -> f.getConnection("billing"));
            assertTrue(e.getMessage().contains("'billing'") && e.getMessage().contains("support"), e.getMessage());
            ImapActivationSpec spec = new ImapActivationSpec();
            spec.setResourceAdapter(ra);
            spec.setMailbox("billing");
            InvalidPropertyException ipe = expect(InvalidPropertyException.class,
                    () -> ra.endpointActivation(new Endpoints(), spec));
            assertTrue(ipe.getMessage().contains("'billing'") && ipe.getMessage().contains("support"),
                    ipe.getMessage());
            assertInstanceOf(InvalidDefinitionException.class, ipe.getCause());
            assertEquals(0, ctx.workCount(), "no Work scheduled");
            Figures.record("bad-input/unknown-mailbox", null, "outbound", "\"" + e.getMessage() + "\"",
                    "inbound", "\"" + ipe.getMessage() + "\"");
        } finally {
            pool.close();
            ra.context().registry().unregister("support");
        }
    }
}
