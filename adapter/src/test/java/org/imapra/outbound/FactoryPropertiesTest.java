package org.imapra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.InvalidPropertyException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.imapra.config.InvalidDefinitionException;
import org.imapra.config.MailboxDefinition;
import org.junit.jupiter.api.Test;

/**
 * The factory validates its properties once per set of values (not on every {@code getConnection()}), and every
 * setter, including {@code mailboxName}, makes the next call see the new values.
 */
class FactoryPropertiesTest {

    private static final String TENANT = "0b6d2f4e-3c1a-4e8b-9f7d-2a5c8e1b4d60";
    private static final String CLIENT = "7f3c9a21-5b8e-4d2f-a6c1-9e0b3d4f5a72";

    private static ImapManagedConnectionFactory mcf() {
        ImapManagedConnectionFactory mcf = new ImapManagedConnectionFactory();
        mcf.setUserName("support@contoso.com");
        mcf.setTenantId(TENANT);
        mcf.setClientId(CLIENT);
        mcf.setClientSecret("Zq8~xY3.kP9-sT4_mN7vB2cR6wL1jH5gF0dE");
        return mcf;
    }

    @Test
    void unchangedPropertiesGiveTheSameValidatedDefinition() throws Exception {
        ImapManagedConnectionFactory mcf = mcf();
        MailboxDefinition first = mcf.requireDefault();
        assertSame(first, mcf.requireDefault());
        assertSame(first, mcf.defaultDefinition());
    }

    @Test
    void everySetterIsSeenByTheNextCall() throws Exception {
        ImapManagedConnectionFactory mcf = mcf();
        assertEquals(993, mcf.requireDefault().imapPort());
        mcf.setImapPort(1993);
        assertEquals(1993, mcf.requireDefault().imapPort());
        mcf.setImapHost("imap.contoso.example");
        assertEquals("imap.contoso.example", mcf.requireDefault().imapHost());
        mcf.setCloud("USGOV");
        assertTrue(mcf.requireDefault().tokenEndpoint().startsWith("https://login.microsoftonline.us/"));
        mcf.setMailboxName("support");
        assertEquals("support", mcf.requireDefault().name());
        mcf.setMailboxName(null);
        assertNull(mcf.requireDefault().name());
    }

    @Test
    void anInvalidValueFailsEveryTimeUntilItIsFixed() throws Exception {
        ImapManagedConnectionFactory mcf = mcf();
        mcf.requireDefault();
        mcf.setTenantId("common");
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, mcf::requireDefault);
        assertTrue(e.getMessage().contains("tenantId"), e.getMessage());
        assertThrows(InvalidPropertyException.class, mcf::requireDefault);
        assertThrows(InvalidDefinitionException.class, mcf::defaultDefinition);
        mcf.setTenantId(TENANT);
        assertEquals(TENANT, mcf.requireDefault().tenantId());
    }

    @Test
    void aDeserializedFactoryValidatesItsOwnCopy() throws Exception {
        ImapManagedConnectionFactory mcf = mcf();
        MailboxDefinition before = mcf.requireDefault();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(mcf);
        }
        ImapManagedConnectionFactory copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ImapManagedConnectionFactory) in.readObject();
        }
        assertEquals(before, copy.requireDefault());
        copy.setImapPort(2993);
        assertEquals(2993, copy.requireDefault().imapPort());
        assertEquals(993, mcf.requireDefault().imapPort());
    }
}
