package org.imapra.inbound;

import static org.imapra.inbound.InboundStandIn.await;
import static org.imapra.inbound.InboundStandIn.deliver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.imapra.admin.ImapMailboxAdmin;
import org.imapra.api.admin.DefinitionInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A definition changed while its activation is undeployed: the restart and the undeploy never leave an orphan. */
@Timeout(60)
class ActivationRestartProtocolTest extends InboundProtocolBase {

    @Override
    void resetStandIn() throws Exception {
        InboundStandIn.reset(m365);
    }

    @Test
    void anUndeployDuringARestartLeavesNoActivationBehind() throws Exception {
        ImapMailboxAdmin admin = new ImapMailboxAdmin();
        admin.setResourceAdapter(ra);
        DefinitionInput in = InboundStandIn.definitionInput(m365, "restarting");
        long version = admin.create(in, "alice").version();
        spec = new ImapActivationSpec();
        spec.setMailbox("restarting");
        spec.setResourceAdapter(ra);
        CountDownLatch inOnMessage = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        endpoints.bean((m, subject, origin) -> {
            inOnMessage.countDown();
            release.await();
        });
        deliver(m365, "held");
        activate();
        assertTrue(inOnMessage.await(15, TimeUnit.SECONDS), "the bean was called");

        // the change restarts the activation: it is taken out of the registry, then stopped (waiting for the bean)
        in.setReadTimeoutMillis(30_000);
        in.setClientSecret(null);
        CompletableFuture<Void> change = CompletableFuture.runAsync(() -> {
            try {
                admin.update("restarting", version, in, "alice");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await(Duration.ofSeconds(15), () -> ra.context().activations().statuses("restarting").isEmpty(),
                () -> "the restart did not begin");
        // the undeploy arrives while the restart is stopping the old activation
        CompletableFuture<Void> undeploy = CompletableFuture.runAsync(() -> ra.endpointDeactivation(endpoints, spec));
        release.countDown();
        change.get(30, TimeUnit.SECONDS);
        undeploy.get(30, TimeUnit.SECONDS);
        active = false;

        assertEquals(List.of(), ra.context().activations().statuses("restarting"),
                "no activation is left for the undeployed endpoint");
    }
}
