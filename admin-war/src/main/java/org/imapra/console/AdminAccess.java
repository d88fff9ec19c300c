package org.imapra.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.faces.context.FacesContext;
import jakarta.resource.AdministeredObjectDefinition;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.imapra.api.admin.MailboxAdmin;

/**
 * The console's way to the adapter: the administered object {@code java:app/imapra/admin} of the standalone resource
 * adapter {@code imapra} (defined here, so deploying the console is all it takes) or, inside the EAR, the one the
 * EAR's application.xml defines for its embedded adapter ({@code java:app/imapra/admin-embedded}, resource adapter
 * {@code #imapra}); and the signed-in user, who is the {@code actor} of every change (the adapter writes the audit
 * log).
 */
@AdministeredObjectDefinition(name = AdminAccess.JNDI_NAME, resourceAdapter = "imapra",
        className = "org.imapra.admin.ImapMailboxAdmin", interfaceName = "org.imapra.api.admin.MailboxAdmin")
@ApplicationScoped
public class AdminAccess {

    public static final String JNDI_NAME = "java:app/imapra/admin";
    /** Defined by the EAR's application.xml for the adapter deployed inside the EAR. */
    public static final String EMBEDDED_JNDI_NAME = "java:app/imapra/admin-embedded";
    private static final Logger LOG = Logger.getLogger(AdminAccess.class.getName());

    private volatile MailboxAdmin admin;

    /** The adapter's admin API. */
    public MailboxAdmin admin() {
        MailboxAdmin a = admin;
        if (a == null) {
            a = lookup();
            admin = a;
        }
        return a;
    }

    /** Looks the admin API up (in the application's naming context): the standalone adapter's, else the EAR's. */
    public static MailboxAdmin lookup() {
        NamingException last = null;
        try {
            InitialContext ctx = new InitialContext();
            boolean inEar = !ctx.lookup("java:app/AppName").equals(ctx.lookup("java:module/ModuleName"));
            for (String name : inEar ? List.of(EMBEDDED_JNDI_NAME, JNDI_NAME) : List.of(JNDI_NAME, EMBEDDED_JNDI_NAME)) {
                try {
                    return (MailboxAdmin) ctx.lookup(name);
                } catch (NamingException e) {
                    last = e;
                    LOG.log(Level.FINE, "No MailboxAdmin at " + name, e);
                }
            }
        } catch (NamingException e) {
            last = e;
        }
        throw new IllegalStateException("The imapra adapter's MailboxAdmin is not available (deploy imapra.rar "
                + "before the console, or use the EAR)", last);
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
