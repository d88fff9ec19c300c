package org.imapra.console.health;

import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.imapra.api.admin.MailboxHealth;

/**
 * The readiness check of one definition ({@code imapra-mailbox-<name>}): the adapter's {@link MailboxHealth} of it,
 * with its data. Added per definition by {@link ReadinessExtension}.
 */
public final class MailboxReadiness implements HealthCheck {

    static final String PREFIX = "imapra-mailbox-";

    private final String name;
    private final AdapterState state;

    MailboxReadiness(String name, AdapterState state) {
        this.name = name;
        this.state = state;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(PREFIX + name);
        MailboxHealth h;
        try {
            h = state.now().health().get(name);
        } catch (RuntimeException e) {
            return b.down().withData("reason", "the imapra adapter cannot be asked: " + e.getMessage()).build();
        }
        if (h == null) {
            return b.down().withData("reason", "the definition '" + name + "' no longer exists").build();
        }
        return response(b, h);
    }

    /** One {@code @Readiness} bean per name. */
    static void addBeans(jakarta.enterprise.inject.spi.AfterBeanDiscovery abd, org.imapra.api.admin.MailboxAdmin admin,
                         java.util.List<String> names) {
        AdapterState state = AdapterState.of(admin); // the WAR's beans are not reachable from synthetic ones here
        for (String name : names) {
            abd.addBean().beanClass(MailboxReadiness.class).types(HealthCheck.class, Object.class)
                    .qualifiers(org.eclipse.microprofile.health.Readiness.Literal.INSTANCE,
                            jakarta.enterprise.inject.Any.Literal.INSTANCE)
                    .scope(jakarta.enterprise.context.Dependent.class).id("imapra-readiness-" + name)
                    .createWith(cc -> new MailboxReadiness(name, state));
        }
    }

    static HealthCheckResponse response(HealthCheckResponseBuilder b, MailboxHealth h) {
        for (Map.Entry<String, String> e : h.data().entrySet()) {
            b.withData(e.getKey(), e.getValue());
        }
        b.withData("inUse", h.inUse());
        return (h.up() ? b.up() : b.down()).build();
    }
}
