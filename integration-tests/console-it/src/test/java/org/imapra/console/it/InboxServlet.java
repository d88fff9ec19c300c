package org.imapra.console.it;

import jakarta.annotation.Resource;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.ResourceException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.imapra.api.ImapAuthenticationException;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;

/**
 * Test only (added to the console WAR by {@link ConsoleIT}): reads INBOX of a named definition through a connection
 * factory of the adapter, as an application would: {@code GET it-inbox?name=…} → {@code messages=N}, or the error.
 */
@ConnectionFactoryDefinition(name = "java:app/it/mail", resourceAdapter = "imapra",
        interfaceName = "org.imapra.api.ImapConnectionFactory", minPoolSize = 0, maxPoolSize = 2)
@WebServlet("/it-inbox")
public class InboxServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:app/it/mail")
    ImapConnectionFactory mail;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setContentType("text/plain;charset=UTF-8");
        try (ImapConnection c = mail.getConnection(req.getParameter("name"))) {
            res.getWriter().print("messages=" + c.status("INBOX").messages());
        } catch (ImapAuthenticationException e) {
            res.getWriter().print("error=" + e.getMessage() + "\nhint=" + e.hint());
        } catch (ResourceException | RuntimeException e) {
            res.getWriter().print("error=" + e.getMessage());
        }
    }
}
