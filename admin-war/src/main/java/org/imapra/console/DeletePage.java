package org.imapra.console;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.Optional;
import org.imapra.api.admin.DefinitionException;
import org.imapra.api.admin.DefinitionView;

/**
 * Asks before deleting ({@code delete.xhtml?name=support}); deletes the version that was shown, so a definition
 * changed meanwhile by someone else is not deleted unseen.
 */
@Named("remove")
@ViewScoped
public class DeletePage implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    AdminAccess access;

    private String name;
    private DefinitionView definition;

    public void load() {
        Optional<DefinitionView> found = Pages.blank(name) ? Optional.empty() : access.admin().get(name);
        if (found.isEmpty()) {
            Pages.error("There is no definition named '" + (name == null ? "" : name) + "'.");
            Pages.redirectNow("/index.xhtml");
            return;
        }
        definition = found.get();
    }

    public String delete() {
        try {
            access.admin().delete(definition.name(), definition.version(), access.actor());
            Pages.info("Definition '" + definition.name() + "' deleted.");
            return Pages.redirect("/index.xhtml");
        } catch (DefinitionException e) {
            if (e.reason() == DefinitionException.Reason.CONFLICT) {
                Pages.error(e.getMessage() + " Nothing was deleted: look at the current definition first.");
            } else {
                Pages.error(e.getMessage());
            }
            return null;
        }
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
}
