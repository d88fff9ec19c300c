package org.imapra.console;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.imapra.api.admin.MailboxSummary;

/** The start page: every definition with its last ping and live state. */
@Named("definitions")
@RequestScoped
public class DefinitionsPage {

    private static final Logger LOG = Logger.getLogger(DefinitionsPage.class.getName());

    @Inject
    AdminAccess access;

    private List<MailboxSummary> rows;

    /** View action: reads the list before the page (and its messages) is rendered. */
    public void load() {
        getRows();
    }

    public List<MailboxSummary> getRows() {
        if (rows == null) {
            try {
                rows = access.admin().list();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Cannot list the mailbox definitions", e);
                Pages.error("The definitions cannot be listed: " + e.getMessage());
                rows = List.of();
            }
        }
        return rows;
    }
}
