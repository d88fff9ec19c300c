package org.imapra.console.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness of the adapter itself ({@code imapra-adapter}): its admin API answers and its definitions store is open.
 * No mailbox's state makes it DOWN: that is readiness.
 */
@Liveness
@ApplicationScoped
public class AdapterLiveness implements HealthCheck {

    @Inject
    AdapterState state;

    @Override
    public HealthCheckResponse call() {
        try {
            int n = state.now().health().size();
            return HealthCheckResponse.named("imapra-adapter").up().withData("definitions", n).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("imapra-adapter").down().withData("reason", String.valueOf(
                    e.getMessage())).build();
        }
    }
}
