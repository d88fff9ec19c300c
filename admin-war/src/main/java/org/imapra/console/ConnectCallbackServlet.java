package org.imapra.console;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Logger;
import org.imapra.api.admin.DefinitionException;
import org.imapra.api.admin.DefinitionView;

/**
 * Where Microsoft sends the administrator back after Connect mailbox ({@code GET /connect-callback?code=…&state=…},
 * or {@code ?error=…}). The state must be one this session started (once); then the adapter redeems the code with
 * the PKCE verifier it kept and checks the account. The code is never logged or shown; the browser is sent on to
 * {@code connect.xhtml} (so the code leaves the address bar and history).
 */
@WebServlet(urlPatterns = SignIns.CALLBACK_PATH)
public class ConnectCallbackServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ConnectCallbackServlet.class.getName());

    @Inject
    AdminAccess access;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String state = req.getParameter("state");
        String name = SignIns.take(req.getSession(false), state);
        SignIns.Result result;
        if (name == null) {
            LOG.warning(() -> "Sign-in callback for " + req.getRemoteUser() + " refused: state unknown to the session");
            result = new SignIns.Result(null, false, "Sign-in refused: this response does not belong to a sign-in "
                    + "started in your session, or it was already used (forged or replayed state). Start again with "
                    + "Connect mailbox.");
        } else if (req.getParameter("error") != null) {
            String error = req.getParameter("error");
            String description = req.getParameter("error_description");
            LOG.info(() -> "Sign-in for '" + name + "' refused by the authorize endpoint: " + error);
            result = new SignIns.Result(name, false, "Microsoft did not sign you in: " + error
                    + (description == null ? "" : " — " + description));
        } else {
            try {
                DefinitionView v = access.admin().completeAuthorization(name, state, req.getParameter("code"),
                        req.getRemoteUser());
                result = new SignIns.Result(name, true, "Mailbox '" + name + "' connected: signed in as "
                        + v.signedInAs() + ".");
            } catch (DefinitionException e) {
                result = new SignIns.Result(name, false, e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(java.util.logging.Level.WARNING, "Completing the sign-in of '" + name + "' failed", e);
                result = new SignIns.Result(name, false, "The sign-in could not be completed: " + e.getMessage());
            }
        }
        req.getSession().setAttribute(SignIns.RESULT_KEY, result);
        res.sendRedirect(req.getContextPath() + "/connect.xhtml");
    }
}
