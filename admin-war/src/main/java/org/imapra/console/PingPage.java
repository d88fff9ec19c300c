package org.imapra.console;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.Optional;
import java.util.logging.Logger;
import org.imapra.api.admin.DefinitionView;
import org.imapra.api.admin.MailboxSummary;
import org.imapra.api.admin.PingReport;

/**
 * Pings a stored definition ({@code ping.xhtml?name=support}) and shows the staged report: every stage with its
 * status, duration, details and hint. Shows the last report until a new ping is run.
 */
@Named("ping")
@ViewScoped
public class PingPage implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(PingPage.class.getName());

    @Inject
    AdminAccess access;

    private String name;
    private DefinitionView definition;
    private PingReport report;
    private boolean fresh;

    public void load() {
        Optional<DefinitionView> found = Pages.blank(name) ? Optional.empty() : access.admin().get(name);
        if (found.isEmpty()) {
            Pages.error("There is no definition named '" + (name == null ? "" : name) + "'.");
            Pages.redirectNow("/index.xhtml");
            return;
        }
        definition = found.get();
        report = access.admin().list().stream().filter(s -> s.name().equals(definition.name())).findFirst()
                .map(MailboxSummary::lastPing).orElse(null);
    }

    /** Runs the ping (takes as long as the slowest stage; the page shows progress meanwhile). */
    public void run() {
        report = access.admin().ping(definition.name());
        fresh = true;
        LOG.fine(() -> "Definition " + definition.name() + " pinged by " + access.actor() + ": "
                + (report.ok() ? "OK" : "failed at " + report.failure().name()));
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public DefinitionView getDefinition() {
        return definition;
    }

    public PingReport getReport() {
        return report;
    }

    /** True when the report was made by this page's last request (not the last ping shown on arrival). */
    public boolean isFresh() {
        return fresh;
    }
}
