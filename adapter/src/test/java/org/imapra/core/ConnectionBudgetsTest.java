package org.imapra.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.imapra.api.ImapException;
import org.imapra.api.admin.MailboxProperty;
import org.imapra.config.DefinitionBuilder;
import org.imapra.config.MailboxDefinition;
import org.junit.jupiter.api.Test;

/** The per-mailbox connection budget: shared by definitions of one mailbox, each slot given back once. */
class ConnectionBudgetsTest {

    static DefinitionBuilder support(String name) {
        return MailboxDefinition.builder().name(name).userName("support@contoso.example")
                .tenantId("0b6d2f4e-3c1a-4e8b-9f7d-2a5c8e1b4d60").clientId("7f3c9a21-5b8e-4d2f-a6c1-9e0b3d4f5a72")
                .clientSecret("s").imapHost("outlook.office365.com");
    }

    @Test
    void definitionsOfOneMailboxShareItsBudgetAndSlotsAreGivenBackOnce() throws Exception {
        ConnectionBudgets budgets = new ConnectionBudgets();
        budgets.defaultMax(2);
        MailboxDefinition a = support("a").build();
        MailboxDefinition b = support("b").userName("SUPPORT@contoso.example").build();
        ConnectionBudgets.Slot first = budgets.take(a, 0);
        ConnectionBudgets.Slot second = budgets.take(b, 0);
        ImapException full = assertThrows(ImapException.class, () -> budgets.take(a, 50));
        assertTrue(full.getMessage().contains("maxConnectionsPerMailbox") && full.getMessage().contains("2 IMAP"),
                full.getMessage());
        first.close();
        first.close();
        assertEquals(1, budgets.inUse(a));
        budgets.take(b, 0).close();
        second.close();
        assertEquals(0, budgets.inUse(a));
    }

    @Test
    void inAClusterEachInstanceTakesItsShareOfTheBudgetAndNamesIt() throws Exception {
        ConnectionBudgets budgets = new ConnectionBudgets();
        java.util.concurrent.atomic.AtomicInteger members = new java.util.concurrent.atomic.AtomicInteger(3);
        budgets.sharedBy(members::get);
        MailboxDefinition d = support("a").set(MailboxProperty.MAX_CONNECTIONS_PER_MAILBOX, 8).build();
        assertEquals(2, budgets.max(d), "8 shared by 3 instances: 2 each, 6 in all");
        ConnectionBudgets.Slot one = budgets.take(d, 0);
        ConnectionBudgets.Slot two = budgets.take(d, 0);
        ImapException full = assertThrows(ImapException.class, () -> budgets.take(d, 0));
        assertTrue(full.getMessage().contains("8 shared by 3 live instances"), full.getMessage());
        members.set(1); // the others left: the whole budget is this instance's again
        budgets.take(d, 0).close();
        members.set(20);
        assertEquals(1, budgets.max(d), "never less than one connection");
        one.close();
        two.close();
    }

    @Test
    void aDefinitionsOwnBudgetOverridesTheAdaptersAndAnotherHostIsAnotherMailbox() throws Exception {
        ConnectionBudgets budgets = new ConnectionBudgets();
        MailboxDefinition one = support("one").set(MailboxProperty.MAX_CONNECTIONS_PER_MAILBOX, 1).build();
        assertEquals(ConnectionBudgets.DEFAULT_MAX, budgets.max(support("x").build()));
        assertEquals(1, budgets.max(one));
        try (ConnectionBudgets.Slot s = budgets.take(one, 0)) {
            assertThrows(ImapException.class, () -> budgets.take(one, 0));
            budgets.take(support("elsewhere").imapHost("imap.example.com")
                    .set(MailboxProperty.MAX_CONNECTIONS_PER_MAILBOX, 1).build(), 0).close();
        }
    }
}
