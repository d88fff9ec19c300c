package org.imapra.console.health;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.api.admin.MailboxAdmin;
import org.imapra.api.admin.MailboxSummary;
import org.imapra.console.AdminAccess;

/**
 * One readiness check per definition stored when the console starts ({@link MailboxReadiness}, a bean each: the
 * server's MicroProfile Health finds its checks among the deployment's beans). Without the adapter's admin API at
 * that moment there are none; {@link MailboxesReadiness} reports every definition in any case. On a server without
 * MicroProfile Health (WildFly, Liberty without mpHealth) it does nothing: no class of it is loaded.
 */
public class ReadinessExtension implements Extension {

    private static final Logger LOG = Logger.getLogger(ReadinessExtension.class.getName());

    void addChecks(@Observes AfterBeanDiscovery abd) {
        try {
            Class.forName("org.eclipse.microprofile.health.HealthCheck", false, getClass().getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.fine("No MicroProfile Health on this server: no imapra readiness checks");
            return;
        }
        MailboxAdmin admin;
        List<String> names;
        try {
            admin = AdminAccess.lookup();
            names = admin.list().stream().map(MailboxSummary::name).toList();
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "No per-definition readiness checks: the imapra admin API is not available while the "
                    + "console starts (" + e + "); the check imapra-mailboxes covers every definition", e);
            return;
        }
        if (!names.isEmpty()) {
            MailboxReadiness.addBeans(abd, admin, names);
        }
    }
}
