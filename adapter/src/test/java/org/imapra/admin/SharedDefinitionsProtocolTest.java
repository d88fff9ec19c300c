package org.imapra.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.imapra.ImapResourceAdapter;
import org.imapra.api.admin.DefinitionInput;
import org.imapra.cluster.EmbeddedGrid;
import org.imapra.cluster.HazelcastLeaseGrid;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.TestDatabases;
import org.imapra.core.AdapterContext;
import org.imapra.standin.LocalM365;
import org.imapra.testsupport.ThreadWorkManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three resource adapters ("instances") sharing one definitions database (a real PostgreSQL): a definition created,
 * changed and deleted through the admin API of the first is used by the others within seconds, by the version poll
 * (no data grid) or through the data grid's topic; the audit trail is in the database.
 */
class SharedDefinitionsProtocolTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    static LocalM365 m365;
    @TempDir
    Path dir;
    final List<ImapResourceAdapter> adapters = new ArrayList<>();
    final List<ThreadWorkManager> works = new ArrayList<>();
    EmbeddedGrid grid;

    @BeforeAll
    static void start() {
        m365 = LocalM365.startDefault();
    }

    @AfterAll
    static void stop() {
        m365.close();
    }

    @AfterEach
    void tearDown() throws Exception {
        adapters.forEach(ImapResourceAdapter::stop);
        for (ThreadWorkManager w : works) {
            assertTrue(w.awaitNoLiveThreads(Duration.ofSeconds(10)), "Work threads alive: " + w.liveThreads());
            assertEquals(List.of(), w.failures(), "exceptions escaping a Work");
        }
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void changesOnOneInstanceReachTheOthersByTheVersionPoll() throws Exception {
        propagates(false);
    }

    @Test
    void changesOnOneInstanceReachTheOthersThroughTheDataGrid() throws Exception {
        grid = new EmbeddedGrid();
        propagates(true);
    }

    private void propagates(boolean withGrid) throws Exception {
        DataSource ds = TestDatabases.newDatabase();
        String key = TestDatabases.masterKey();
        for (String name : List.of("a", "b", "c")) {
            ThreadWorkManager w = new ThreadWorkManager(name + "-work");
            works.add(w);
            ImapResourceAdapter ra = new ImapResourceAdapter();
            ra.setStoreDirectory(dir.resolve(name).toString());
            AdapterContext c = AdapterContext.of(ra);
            c.useDefinitionsDataSource(ds, key, 200);
            if (withGrid) {
                c.useGrid(new HazelcastLeaseGrid(grid.startMember(name)));
            }
            ra.start(w);
            adapters.add(ra);
        }
        ImapMailboxAdmin onA = new ImapMailboxAdmin();
        onA.setResourceAdapter(adapters.get(0));

        onA.create(input(), "alice");
        awaitOnOthers(() -> "all know 'support'", d -> d != null);
        DefinitionInput edit = input();
        edit.setClientSecret(null);
        edit.setReadTimeoutMillis(31_000);
        onA.update("support", 1, edit, "bob");
        awaitOnOthers(() -> "all use the changed readTimeoutMillis", d -> d != null && d.readTimeoutMillis() == 31_000);
        onA.delete("support", 2, "carol");
        awaitOnOthers(() -> "none still has 'support'", d -> d == null);

        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT actor || ' ' || action FROM imapra_audit ORDER BY id")) {
            List<String> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(r.getString(1));
            }
            assertEquals(3, rows.size(), rows.toString());
            assertTrue(rows.get(0).startsWith("alice ") && rows.get(2).startsWith("carol "), rows.toString());
        }
    }

    private void awaitOnOthers(java.util.function.Supplier<String> what,
                               java.util.function.Predicate<MailboxDefinition> holds) throws Exception {
        BooleanSupplier all = () -> adapters.subList(1, adapters.size()).stream().allMatch(
                ra -> holds.test(AdapterContext.of(ra).registry().find("support").orElse(null)));
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!all.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "after " + BOUND + ": not " + what.get());
            Thread.sleep(20); // polling a condition, bounded by BOUND
        }
    }

    private static DefinitionInput input() {
        DefinitionInput in = new DefinitionInput();
        in.setName("support");
        in.setUserName(LocalM365.DEFAULT_MAILBOX);
        in.setTenantId(LocalM365.DEFAULT_TENANT_ID);
        in.setClientId(LocalM365.DEFAULT_CLIENT_ID);
        in.setClientSecret(LocalM365.DEFAULT_CLIENT_SECRET.toCharArray());
        in.setAuthorityHost(m365.authorityHost());
        in.setImapHost(m365.imapHost());
        in.setImapPort(m365.imapsPort());
        return in;
    }
}
