package org.imapra.console;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.faces.context.FacesContext;
import jakarta.resource.AdministeredObjectDefinition;
import org.imapra.api.MailboxAdmin;

/**
 * The console's way to the adapter: the administered object {@code java:app/imapra/admin} of the standalone resource
 * adapter {@code imapra} (defined here, so deploying the console is all it takes), and the signed-in user, who is the
 * {@code actor} of every change (the adapter writes the audit log).
 */
@AdministeredObjectDefinition(name = AdminAccess.JNDI_NAME, resourceAdapter = "imapra",
        className = "org.imapra.admin.ImapMailboxAdmin", interfaceName = "org.imapra.api.MailboxAdmin")
@ApplicationScoped
public class AdminAccess {

    public static final String JNDI_NAME = "java:app/imapra/admin";

    @Resource(lookup = JNDI_NAME)
    private MailboxAdmin admin;

    /** The adapter's admin API. */
    public MailboxAdmin admin() {
        return admin;
    }

    /** Who is signed in (never null on the protected pages: the container demands sign-in). */
    public String actor() {
        String user = FacesContext.getCurrentInstance().getExternalContext().getRemoteUser();
        if (user == null) {
            throw new IllegalStateException("nobody is signed in");
        }
        return user;
    }
}
