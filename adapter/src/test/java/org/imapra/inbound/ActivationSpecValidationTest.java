package org.imapra.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.imapra.testsupport.ThreadWorkManager;

import jakarta.mail.search.AndTerm;
import jakarta.mail.search.FlagTerm;
import jakarta.resource.NotSupportedException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import java.nio.file.Path;
import java.util.List;
import org.imapra.ImapResourceAdapter;
import org.imapra.config.InvalidDefinitionException;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.MailboxRegistry;
import org.imapra.config.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.imapra.imap.UidSet;

/** The activation spec's defaults and its validation messages (no server needed). */
class ActivationSpecValidationTest {

    static final String TENANT = "0b6d2f4e-3c1a-4e8b-9f7d-2a5c8e1b4d60";
    static final String CLIENT = "7f3c9a21-5b8e-4d2f-a6c1-9e0b3d4f5a72";

    @TempDir
    Path dir;

    static ImapActivationSpec inline() {
        ImapActivationSpec s = new ImapActivationSpec();
        s.setUserName("support@contoso.com");
        s.setTenantId(TENANT);
        s.setClientId(CLIENT);
        s.setClientSecret("Zq8~xY3.kP9-sT4_mN7vB2cR6wL1jH5gF0dE");
        return s;
    }

    static List<Problem> problems(ImapActivationSpec s, MailboxRegistry registry) {
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, () -> s.settings(registry));
        InvalidDefinitionException d = assertInstanceOf(InvalidDefinitionException.class, e.getCause());
        assertEquals(d.getMessage(), e.getMessage());
        return d.problems();
    }

    static Problem only(ImapActivationSpec s) {
        List<Problem> p = problems(s, new MailboxRegistry());
        assertEquals(1, p.size(), p.toString());
        return p.get(0);
    }

    @Test
    void defaults() throws Exception {
        InboundSettings s = inline().settings(null);
        assertEquals("support@contoso.com", s.definition().userName());
        assertEquals("INBOX", s.folder());
        assertNull(s.mode(), "IDLE when the server has it, else POLL");
        assertEquals(60, s.pollIntervalSeconds());
        assertEquals(600, s.idleRenewSeconds());
        assertEquals(SearchFilter.DEFAULT, s.searchFilter());
        assertEquals(100, s.maxMessagesPerBatch());
        assertEquals(AfterDelivery.MARK_SEEN, s.afterDelivery());
        assertNull(s.moveTo());
        assertEquals(5, s.maxAttempts());
        assertNull(s.errorFolder());
        assertEquals(1_000, s.retryBackoffMillis());
        assertEquals(60_000, s.maxRetryBackoffMillis());
        assertEquals(1, s.maxConcurrency());
    }

    @Test
    void valuesAreParsedCaseInsensitively() throws Exception {
        ImapActivationSpec spec = inline();
        spec.setMode("poll");
        spec.setAfterDelivery("move");
        spec.setMoveTo(" Processed ");
        spec.setSearchFilter("unseen; From=alerts@contoso.com ; subject=Invoice 2026");
        InboundSettings s = spec.settings(null);
        assertEquals(ListenMode.POLL, s.mode());
        assertEquals(AfterDelivery.MOVE, s.afterDelivery());
        assertEquals("Processed", s.moveTo());
        assertEquals(new SearchFilter(true, "alerts@contoso.com", "Invoice 2026"), s.searchFilter());
        assertInstanceOf(AndTerm.class, s.searchFilter().toTerm());
        assertInstanceOf(FlagTerm.class, SearchFilter.DEFAULT.toTerm());
        assertNull(SearchFilter.parse("ALL").toTerm());
    }

    @Test
    void neitherMailboxNorInlineDefinition() {
        Problem p = only(new ImapActivationSpec());
        assertEquals("mailbox", p.property());
        assertTrue(p.message().startsWith("mailbox is required"), p.message());
    }

    @Test
    void mailboxAndInlineDefinitionTogether() {
        ImapActivationSpec s = inline();
        s.setMailbox("support");
        Problem p = only(s);
        assertEquals("mailbox", p.property());
        assertTrue(p.message().contains("not both"), p.message());
    }

    @Test
    void unknownMailboxListsTheKnownOnes() throws Exception {
        MailboxRegistry registry = new MailboxRegistry();
        registry.register(inline().defaultDefinition().toBuilder().name("billing").build());
        registry.register(inline().defaultDefinition().toBuilder().name("sales").build());
        ImapActivationSpec s = new ImapActivationSpec();
        s.setMailbox("support");
        List<Problem> p = problems(s, registry);
        assertEquals("No mailbox definition named 'support'; known definitions: [billing, sales] (a definition is "
                + "registered by a connection factory with mailboxName 'support')", p.get(0).message());
        s.setMailbox("sales");
        MailboxDefinition resolved = s.settings(registry).definition();
        assertEquals("sales", resolved.name());
        assertNull(s.settings(null).definition(), "without the adapter a name is not resolved");
    }

    @Test
    void invalidInlineDefinitionReportsItsOwnProperties() {
        ImapActivationSpec s = inline();
        s.setTenantId("common");
        Problem p = only(s);
        assertEquals("tenantId", p.property());
        assertTrue(p.message().contains("AADSTS50194"), p.message());
    }

    @Test
    void afterDeliveryAndMoveTo() {
        ImapActivationSpec s = inline();
        s.setAfterDelivery("ARCHIVE");
        assertEquals("afterDelivery 'ARCHIVE' is not one of MARK_SEEN, MOVE, DELETE, NONE", only(s).message());
        s.setAfterDelivery("MOVE");
        Problem p = only(s);
        assertEquals("moveTo", p.property());
        assertTrue(p.message().startsWith("moveTo is required when afterDelivery is MOVE"), p.message());
        s.setMoveTo("INBOX");
        assertEquals("moveTo 'INBOX' is the folder being read: name another folder", only(s).message());
        s.setAfterDelivery("DELETE");
        s.setMoveTo("Processed");
        assertEquals("moveTo is set but afterDelivery is DELETE: set afterDelivery=MOVE or remove moveTo",
                only(s).message());
    }

    @Test
    void modeSearchFilterAndErrorFolder() {
        ImapActivationSpec s = inline();
        s.setMode("PUSH");
        assertEquals("mode 'PUSH' is not one of IDLE, POLL (leave it empty to use IDLE when the server supports it)",
                only(s).message());
        s.setMode(null);
        s.setSearchFilter("UNSEEN; to=me");
        Problem p = only(s);
        assertEquals("searchFilter", p.property());
        assertTrue(p.message().contains("'to=me' is not UNSEEN, ALL, from=<text> or subject=<text>"), p.message());
        s.setSearchFilter("ALL");
        assertTrue(only(s).message().startsWith("searchFilter ALL with afterDelivery MARK_SEEN"));
        s.setSearchFilter(null);
        s.setErrorFolder("INBOX");
        assertEquals("errorFolder", only(s).property());
    }

    @Test
    void numbersOutOfRangeAreAllReportedAtOnce() {
        ImapActivationSpec s = inline();
        s.setIdleRenewSeconds(3600);
        s.setPollIntervalSeconds(0);
        s.setMaxMessagesPerBatch(0);
        s.setMaxAttempts(0);
        s.setMaxConcurrency(65);
        s.setRetryBackoffMillis(5_000L);
        s.setMaxRetryBackoffMillis(1_000L);
        List<Problem> p = problems(s, null);
        assertEquals(List.of("pollIntervalSeconds", "idleRenewSeconds", "maxMessagesPerBatch", "maxAttempts",
                "maxRetryBackoffMillis", "maxConcurrency"), p.stream().map(Problem::property).toList());
        assertEquals("idleRenewSeconds 3600 is out of range: 1 to 1740 seconds (servers may drop an IDLE after 30 "
                + "minutes)", p.get(1).message());
        assertEquals("maxRetryBackoffMillis 1000 is smaller than retryBackoffMillis 5000: it is the upper bound of "
                + "the back-off", p.get(4).message());
    }

    @Test
    void endpointActivationRejectsAnInvalidSpecWithoutSchedulingWork() throws Exception {
        ThreadWorkManager ctx = new ThreadWorkManager("test-work");
        ImapResourceAdapter ra = InboundStandIn.adapter(ctx, dir);
        try {
            ImapActivationSpec s = inline();
            s.setAfterDelivery("MOVE");
            s.setResourceAdapter(ra);
            RecordingEndpoints endpoints = new RecordingEndpoints();
            InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                    () -> ra.endpointActivation(endpoints, s));
            assertTrue(e.getMessage().contains("moveTo is required"), e.getMessage());
            assertThrows(InvalidPropertyException.class, s::validate);
            ActivationSpec foreign = new ActivationSpec() {
                @Override
                public void validate() {
                }

                @Override
                public ResourceAdapter getResourceAdapter() {
                    return ra;
                }

                @Override
                public void setResourceAdapter(ResourceAdapter adapter) {
                }
            };
            assertThrows(NotSupportedException.class, () -> ra.endpointActivation(endpoints, foreign));
            ra.endpointDeactivation(endpoints, s); // nothing active: a no-op
            assertEquals(0, ctx.workCount(), "no Work scheduled");
        } finally {
            ra.stop();
        }
    }

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        Backoff b = new Backoff(100, 1_000);
        assertEquals(List.of(0L, 100L, 200L, 400L, 800L, 1_000L, 1_000L),
                List.of(b.ceiling(0), b.ceiling(1), b.ceiling(2), b.ceiling(3), b.ceiling(4), b.ceiling(5),
                        b.ceiling(40)));
        for (int i = 0; i < 200; i++) {
            long d = b.delay(3);
            assertTrue(d >= 200 && d <= 400, "jittered delay " + d);
        }
    }

    @Test
    void uidSets() {
        assertEquals("1:3,5,7:9,12", UidSet.of(9, 1, 2, 3, 5, 7, 8, 12));
        assertEquals("4", UidSet.of(4));
        assertEquals("4", UidSet.of(4, 4));
    }
}
