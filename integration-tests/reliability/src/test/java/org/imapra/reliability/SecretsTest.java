package org.imapra.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.imapra.testsupport.ThreadWorkManager;

import jakarta.resource.spi.ManagedConnection;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.imapra.ImapResourceAdapter;
import org.imapra.admin.ImapMailboxAdmin;
import org.imapra.api.admin.DefinitionInput;
import org.imapra.api.admin.DefinitionView;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.admin.PingReport;
import org.imapra.auth.AccessToken;
import org.imapra.auth.TokenRequest;
import org.imapra.config.DefinitionTokens;
import org.imapra.config.MailboxDefinition;
import org.imapra.inbound.ImapActivationSpec;
import org.imapra.outbound.ImapManagedConnectionFactory;
import org.imapra.outbound.NonManagedConnectionManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs last: the secret hunt over the whole run. Every scenario before it used {@link Evidence#SECRET} (and some
 * {@link Evidence#WRONG_SECRET}); here the console's path adds its own evidence (a definition created, its secret
 * rotated, pinged, read back through {@code MailboxAdmin}), the objects a caller holds are printed, the store files
 * read, and every count must be 0.
 */
@Order(1_000)
@DisplayName("Secrets: no secret in logs, exceptions, objects, store files or output")
class SecretsTest {

    @Test
    @DisplayName("the recognisable secret appears nowhere (log lines, exceptions, toString(), store, stdout/stderr)")
    void noSecretAnywhere() throws Exception {
        Rig.reset();
        ThreadWorkManager ctx = new ThreadWorkManager("reliability-work", Evidence::exception);
        ImapResourceAdapter ra = Rig.adapter(ctx);
        ImapMailboxAdmin admin = new ImapMailboxAdmin();
        admin.setResourceAdapter(ra);
        NonManagedConnectionManager pool = new NonManagedConnectionManager(2, 5_000);
        try {
            // the console's path: create, rotate to a wrong secret, ping, rotate back, ping, read
            DefinitionInput in = new DefinitionInput();
            in.setName("support");
            in.setUserName(Rig.MAILBOX);
            in.setTenantId(Rig.TENANT);
            in.setClientId(Rig.CLIENT);
            in.setClientSecret(Evidence.SECRET.toCharArray());
            in.setAuthorityHost(Rig.authorityHost());
            in.setImapHost("localhost");
            in.setImapPort(Rig.imapProxy().port());
            in.setConnectTimeoutMillis(Rig.CONNECT_TIMEOUT);
            in.setReadTimeoutMillis(Rig.READ_TIMEOUT);
            DefinitionView v1 = admin.create(in, "reliability-admin");
            Evidence.objects(in, v1);
            DefinitionInput wrong = new DefinitionInput();
            wrong.setClientSecret(Evidence.WRONG_SECRET.toCharArray());
            copy(in, wrong);
            DefinitionView v2 = admin.update("support", v1.version(), wrong, "reliability-admin");
            PingReport failed = admin.ping("support");
            assertFalse(failed.ok(), "the wrong secret fails the ping");
            assertTrue(failed.toString().contains("AADSTS7000215"), failed.toString());
            DefinitionInput right = new DefinitionInput();
            right.setClientSecret(Evidence.SECRET.toCharArray());
            copy(in, right);
            DefinitionView v3 = admin.update("support", v2.version(), right, "reliability-admin");
            PingReport ok = admin.ping("support");
            assertTrue(ok.ok(), ok.toString());
            Evidence.objects(wrong, right, v2, v3, failed, ok, admin.list(), admin.get("support"),
                    admin.status("support"), admin.ping(in));

            // what an application and the container hold
            ImapManagedConnectionFactory mcf = Rig.factory(ra);
            ImapConnectionFactory factory = (ImapConnectionFactory) mcf.createConnectionFactory(pool);
            MailboxDefinition d = mcf.defaultDefinition();
            TokenRequest request = DefinitionTokens.of(d);
            AccessToken token = ra.context().tokens().get(request);
            ManagedConnection mc = mcf.createManagedConnection(null, null);
            Object handle = mc.getConnection(null, null);
            ImapActivationSpec spec = Rig.spec(ra);
            try (ImapConnection c = factory.getConnection("support")) {
                Evidence.objects(c, c.status("INBOX"), c.fetch("INBOX"));
            }
            Evidence.objects(mcf, factory, d, d.clientSecret(), d.toBuilder(), request, request.credential(), token,
                    mc, mc.getMetaData(), handle, spec, spec.settings(ra.context().registry()), ra, ra.context().registry().names(),
                    ra.context().census(), ra.context().lastPings(), pool);
            ((AutoCloseable) handle).close();
            mc.destroy();
            assertFalse(token.toString().contains(token.value()), "the token is not in its toString()");
        } finally {
            pool.close();
            ra.stop();
        }

        int files = Evidence.files(Rig.storeRoot());
        assertTrue(files > 0 && Files.exists(Rig.storeRoot()), "store files were read");
        Map<String, Object> figures = new LinkedHashMap<>();
        for (Evidence.Counter c : new Evidence.Counter[] {Evidence.LOGS, Evidence.EXCEPTIONS, Evidence.OBJECTS,
                Evidence.FILES, Evidence.OUTPUT}) {
            figures.put(c.what.replace(' ', '_').replace("/", "_").replaceAll("[()]", ""),
                    c.checked.get() + "/" + c.leaks.get());
        }
        figures.put("jwtInLogs", Evidence.JWT_IN_LOGS.get());
        figures.put("secretOccurrences", Evidence.leaks());
        Object[] pairs = figures.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(),
                e.getValue())).toArray();
        Figures.record("secrets", "checked/occurrences per source, over the whole run (this class runs last); the "
                + "secret looked for raw, URL-encoded (a token request body) and base64, and any JWT-shaped "
                + "string in logs; the console's pages are checked by ConsoleIT", pairs);
        Evidence.SAMPLES.forEach(s -> System.out.println("LEAK " + s));
        assertTrue(Evidence.LOGS.checked.get() > 0, "the log capture saw nothing: it is not working");
        assertEquals(0, Evidence.leaks(), "secret occurrences: " + Evidence.SAMPLES);
    }

    private static void copy(DefinitionInput from, DefinitionInput to) {
        to.setName(from.getName());
        to.setUserName(from.getUserName());
        to.setTenantId(from.getTenantId());
        to.setClientId(from.getClientId());
        to.setAuthorityHost(from.getAuthorityHost());
        to.setImapHost(from.getImapHost());
        to.setImapPort(from.getImapPort());
        to.setConnectTimeoutMillis(from.getConnectTimeoutMillis());
        to.setReadTimeoutMillis(from.getReadTimeoutMillis());
    }
}
