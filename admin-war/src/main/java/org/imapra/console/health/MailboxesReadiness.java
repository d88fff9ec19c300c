package org.imapra.console.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.imapra.api.admin.MailboxHealth;

/**
 * The readiness of every definition in use ({@code imapra-mailboxes}): DOWN when one is, its data one entry per
 * definition ({@code support: UP}, {@code support: DOWN the last token request failed (AADSTS7000215) ...}). It covers
 * the definitions created after the console started too, which get a check of their own
 * ({@link MailboxReadiness}) at its next start: MicroProfile Health's checks are the beans of the deployment.
 */
@Readiness
@ApplicationScoped
public class MailboxesReadiness implements HealthCheck {

    @Inject
    AdapterState state;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("imapra-mailboxes");
        boolean up = true;
        try {
            for (MailboxHealth h : state.now().health().values()) {
                if (!h.inUse()) {
                    b.withData(h.name(), "not in use");
                    continue;
                }
                up &= h.up();
                b.withData(h.name(), h.up() ? "UP" : "DOWN " + String.join("; ", h.reasons()));
                String code = h.data().get("aadsts");
                if (code != null) {
                    b.withData(h.name() + ".aadsts", code);
                }
            }
        } catch (RuntimeException e) {
            return b.down().withData("reason", "the imapra adapter cannot be asked: " + e.getMessage()).build();
        }
        return (up ? b.up() : b.down()).build();
    }
}
