package org.imapra.inbound;

import static org.imapra.inbound.InboundStandIn.await;
import static org.imapra.inbound.InboundStandIn.deliver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.imapra.admin.ImapMailboxAdmin;
import org.imapra.api.admin.DefinitionInput;
import org.imapra.api.admin.LiveStatus;
import org.imapra.standin.AppRegistration;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.Test;

/**
 * An MDB on a named definition with clientSecret and nextClientSecret: the current secret is revoked at the stand-in
 * mid-run; the activation's next token renewal switches to the next secret and delivery goes on without an error.
 * The console's status tells which secret is in use and when it expires.
 */
class CredentialRotationInboundProtocolTest extends InboundProtocolBase {

    static final String NEXT = "Nx7~aB3.cD9-eF4_gH7vJ2kL6mN1pQ5rS0tU";

    @Override
    void resetStandIn() throws Exception {
        InboundStandIn.reset(m365);
        m365.tokens().directory().app(AppRegistration.builder(LocalM365.DEFAULT_CLIENT_ID, LocalM365.DEFAULT_TENANT_ID)
                .secret(LocalM365.DEFAULT_CLIENT_SECRET).secret(NEXT).roles(AppRegistration.IMAP_ACCESS_AS_APP)
                .build());
        m365.tokens().tokenLifetimeSeconds(8); // renewed every 6 s: the revocation is discovered while mail flows
        logs.clear();
    }

    @Override
    void afterStop() {
        m365.tokens().tokenLifetimeSeconds(3599);
        assertEquals(List.of(), logs.leaks(NEXT), "the next secret in log lines");
    }

    @Test
    void revokingTheCurrentSecretMidRunDoesNotInterruptDelivery() throws Exception {
        ImapMailboxAdmin admin = new ImapMailboxAdmin();
        admin.setResourceAdapter(ra);
        DefinitionInput in = InboundStandIn.definitionInput(m365, "rotating");
        in.setNextClientSecret(NEXT.toCharArray());
        in.setSecretExpires("2027-03-31");
        in.setNextSecretExpires("2028-03-31");
        admin.create(in, "alice");
        spec = new ImapActivationSpec();
        spec.setMailbox("rotating");
        spec.setResourceAdapter(ra);
        LiveStatus before = admin.status("rotating");
        assertEquals("clientSecret", before.credentialInUse());
        assertEquals(Instant.parse("2027-03-31T00:00:00Z"), before.credentialExpires());
        activate();

        List<String> mails = new ArrayList<>();
        deliver(m365, "before 1");
        mails.add("before 1");
        awaitReceived(1);
        m365.revokeSecret(LocalM365.DEFAULT_CLIENT_ID, LocalM365.DEFAULT_CLIENT_SECRET);
        int tokensAtRevocation = m365.tokens().tokenRequestCount();
        int i = 0;
        // mail keeps arriving until the activation has renewed its token (a refused request, then the next secret)
        while (m365.tokens().tokenRequestCount() < tokensAtRevocation + 2 || i < 5) {
            String s = "after " + ++i;
            mails.add(s);
            deliver(m365, s);
            awaitReceived(mails.size());
            assertTrue(i < 200, "no token renewal after " + i + " mails");
            Thread.sleep(100);
        }
        for (int j = 1; j <= 3; j++) { // and after the switch
            String s = "switched " + j;
            mails.add(s);
            deliver(m365, s);
        }
        awaitReceived(mails.size());
        assertEquals(mails, endpoints.subjects());
        assertEquals(1, logs.messages(Level.WARNING, m -> m.contains("switched to nextClientSecret")).size());
        assertEquals(List.of(), logs.messages(Level.WARNING, m -> m.startsWith("No new token")),
                "the renewal did not fail");
        LiveStatus after = admin.status("rotating");
        assertEquals("nextClientSecret", after.credentialInUse());
        assertEquals(Instant.parse("2028-03-31T00:00:00Z"), after.credentialExpires());
        await(Duration.ofSeconds(5), () -> admin.status("rotating").activations().size() == 1, () -> "no activation");
        assertNull(admin.status("rotating").activations().get(0).lastError(), "the activation saw an error");
    }
}
