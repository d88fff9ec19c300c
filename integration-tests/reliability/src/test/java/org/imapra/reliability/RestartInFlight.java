package org.imapra.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.imapra.api.DeliveredMessage;
import org.imapra.testsupport.RecordingEndpointFactory.Bean;

/**
 * The "server restart with messages in flight" scenario of both IMAP fault suites: 30 messages wait; when the 15th is
 * delivered (in the second batch of 10) the server goes down for 2 s, and 10 more arrive meanwhile.
 */
final class RestartInFlight {

    /** Every message sent, in order. */
    final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean restarted = new AtomicBoolean();
    private final Consumer<String> deliver;
    private final FaultProxy proxy;

    RestartInFlight(Consumer<String> deliver, FaultProxy proxy) {
        this.deliver = deliver;
        this.proxy = proxy;
        for (int i = 1; i <= 30; i++) {
            send(i);
        }
    }

    private void send(int i) {
        String s = String.format("restart %02d", i);
        sent.add(s);
        deliver.accept(s);
    }

    /** The MDB: {@code also} first, then a little work, and the restart at "restart 15". */
    Bean<DeliveredMessage> bean(Bean<DeliveredMessage> also) {
        return (m, s, o) -> {
            also.onMessage(m, s, o);
            Thread.sleep(20);
            if (s.equals("restart 15") && restarted.compareAndSet(false, true)) {
                proxy.restart(Duration.ofSeconds(2)); // down for 2 s, in the middle of the second batch
                for (int i = 31; i <= 40; i++) {
                    send(i); // arrives while the server is "down"
                }
            }
        };
    }
}
