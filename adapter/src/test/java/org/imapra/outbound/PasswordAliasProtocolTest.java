package org.imapra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.ResourceException;
import java.nio.file.Path;
import org.eclipse.microprofile.config.ConfigProvider;
import org.imapra.ImapResourceAdapter;
import org.imapra.admin.ImapMailboxAdmin;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.admin.DefinitionException;
import org.imapra.api.admin.DefinitionInput;
import org.imapra.standin.LocalM365;
import org.imapra.testsupport.LogCapture;
import org.imapra.testsupport.ThreadWorkManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets by reference: {@code ${ALIAS=name}} in clientSecret is resolved through the server's MicroProfile Config
 * (here the test's stand-in of Payara's password alias config source) when the token is requested; a console-saved
 * definition keeps the reference, not the value.
 */
class PasswordAliasProtocolTest {

    static final String ALIAS = "imapra-support-secret";
    static LocalM365 m365;
    static LogCapture logs;
    @TempDir
    static Path store;

    @BeforeAll
    static void start() {
        logs = LogCapture.install("org.imapra", "com.microsoft.aad");
        m365 = LocalM365.startDefault();
    }

    @AfterAll
    static void stop() {
        m365.close();
        logs.uninstall();
        logs.assertNoSecrets(LocalM365.DEFAULT_CLIENT_SECRET);
    }

    @AfterEach
    void noAlias() {
        ConfigProvider.alias(ALIAS, null);
    }

    @Test
    void aConnectionFactoryPropertyNamingAnAliasAuthenticatesWithItsValue() throws Exception {
        ConfigProvider.alias(ALIAS, LocalM365.DEFAULT_CLIENT_SECRET);
        ImapManagedConnectionFactory mcf = StandIn.factory(m365);
        mcf.setClientSecret("${ALIAS=" + ALIAS + "}");
        NonManagedConnectionManager pool = new NonManagedConnectionManager(8, 30_000);
        try (ImapConnection c = ((ImapConnectionFactory) mcf.createConnectionFactory(pool)).getConnection()) {
            assertEquals(0, c.status("INBOX").messages());
        }
        StandIn.closeAndAssertNothingLeft(pool, m365);
    }

    @Test
    void anUnknownAliasIsAClearConfigurationError() {
        ImapManagedConnectionFactory mcf = StandIn.factory(m365);
        mcf.setClientSecret("${ALIAS=imapra-no-such-alias}");
        ResourceException e = assertThrows(ResourceException.class, mcf::createConnectionFactory);
        assertTrue(e.getMessage().contains("password alias 'imapra-no-such-alias', which this server does not have")
                && e.getMessage().contains("asadmin create-password-alias"), e.getMessage());
    }

    @Test
    void theConsoleStoresTheReferenceAndTheAdapterResolvesItWhenUsed() throws Exception {
        ConfigProvider.alias(ALIAS, LocalM365.DEFAULT_CLIENT_SECRET);
        ThreadWorkManager ctx = new ThreadWorkManager("alias-work");
        ImapResourceAdapter ra = new ImapResourceAdapter();
        ra.setStoreDirectory(store.toString());
        ra.start(ctx);
        try {
            ImapMailboxAdmin admin = new ImapMailboxAdmin();
            admin.setResourceAdapter(ra);
            DefinitionInput in = new DefinitionInput();
            in.setName("aliased");
            in.setUserName(LocalM365.DEFAULT_MAILBOX);
            in.setTenantId(LocalM365.DEFAULT_TENANT_ID);
            in.setClientId(LocalM365.DEFAULT_CLIENT_ID);
            in.setClientSecret(("${ALIAS=" + ALIAS + "}").toCharArray());
            in.setAuthorityHost(m365.authorityHost());
            in.setImapHost(m365.imapHost());
            in.setImapPort(m365.imapsPort());
            assertEquals(ALIAS, admin.create(in, "alice").secretAlias("clientSecret"), "the console shows the alias");
            assertTrue(admin.ping("aliased").ok(), admin.ping("aliased").toString());
            assertEquals("${ALIAS=" + ALIAS + "}", ra.context().registry().find("aliased").orElseThrow()
                    .clientSecret().reveal(), "the definition holds the reference, not the value");

            in.setName("misspelt");
            in.setClientSecret("${ALIAS=imapra-suport-secret}".toCharArray());
            DefinitionException e = assertThrows(DefinitionException.class, () -> admin.create(in, "alice"));
            assertTrue(e.getMessage().contains("'imapra-suport-secret', which this server does not have"),
                    e.getMessage());
        } finally {
            ra.stop();
        }
    }
}
