package org.imapra.console;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.logging.Logger;

/**
 * Signs out (POST only; GET is refused): ends the container sign-in and the session, then back to the start page,
 * which asks for sign-in again. Not protected, so that a signed-in user without the role can leave too; the session
 * cookie is SameSite=Lax, so other sites cannot sign a user out.
 */
@WebServlet(name = "logout", urlPatterns = "/logout")
public class LogoutServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(LogoutServlet.class.getName());

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
        String user = req.getRemoteUser();
        req.logout();
        HttpSession session = req.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        if (user != null) {
            LOG.fine(() -> "Console user " + user + " signed out");
        }
        res.sendRedirect(req.getContextPath() + "/");
    }
}
