package org.imapra.console.it;

import org.imapra.config.FileDefinitionStore;
import org.imapra.config.MailboxDefinition;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For {@link HealthIT}, between {@link ConsoleExtension} (the stand-in) and Arquillian (Micro): the adapter's store
 * holds only the definition 'support', for the stand-in, before Micro starts (its MDB needs it at deployment, and the
 * console adds a readiness check per definition stored when it starts); emptied again after Micro stopped, as
 * {@link ConsoleIT} expects to find it.
 */
public final class HealthExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        LocalM365 m365 = ConsoleExtension.m365();
        ConsoleExtension.emptyDirectory(ConsoleExtension.store());
        FileDefinitionStore.open(ConsoleExtension.store()).save(MailboxDefinition.builder().name("support")
                .userName(LocalM365.DEFAULT_MAILBOX).tenantId(LocalM365.DEFAULT_TENANT_ID)
                .clientId(LocalM365.DEFAULT_CLIENT_ID).clientSecret(LocalM365.DEFAULT_CLIENT_SECRET)
                .authorityHost(m365.authorityHost()).imapHost(m365.imapHost()).imapPort(m365.imapsPort())
                .build(), 0, true, "health-it");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        ConsoleExtension.emptyDirectory(ConsoleExtension.store());
    }
}
