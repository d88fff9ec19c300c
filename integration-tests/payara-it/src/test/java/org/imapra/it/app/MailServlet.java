package org.imapra.it.app;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import org.imapra.api.FolderStatus;

/**
 * Drives {@link MailboxBean} over HTTP for the {@code @RunAsClient} tests. Plain text answers:
 * {@code GET /mail/status?folder=INBOX} gives {@code messages=2 unseen=2 uidNext=3}; a failure answers 503 with
 * the exception chain, one {@code class: message} per line.
 */
@WebServlet("/mail/*")
public class MailServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private MailboxBean mailbox;

    @EJB
    private Gate gate;

    @EJB
    private Received received;

    @EJB
    private AliasedMailboxBean aliased;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        String folder = req.getParameter("folder") == null ? "INBOX" : req.getParameter("folder");
        String op = req.getPathInfo() == null ? "" : req.getPathInfo();
        try {
            switch (op) {
                case "/status" -> write(resp, mailbox.status(folder));
                case "/hold" -> write(resp, mailbox.holdConnection(folder,
                        Long.parseLong(req.getParameter("maxMillis"))));
                case "/arm" -> {
                    gate.arm();
                    resp.getWriter().print("armed");
                }
                case "/release" -> {
                    gate.release();
                    resp.getWriter().print("released");
                }
                case "/held" -> resp.getWriter().print(gate.held());
                case "/received" -> resp.getWriter().print(String.join("\n", received.subjects()));
                case "/aliased" -> write(resp, aliased.status());
                case "/aliased-stored" -> write(resp, aliased.storedStatus());
                default -> resp.sendError(404, "unknown operation " + op);
            }
        } catch (Exception e) {
            resp.setStatus(503);
            PrintWriter out = resp.getWriter();
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                out.println(t.getClass().getName() + ": " + t.getMessage());
            }
            log("mail" + op + " failed", e);
        }
    }

    private static void write(HttpServletResponse resp, FolderStatus status) throws IOException {
        resp.getWriter().print("messages=" + status.messages() + " unseen=" + status.unseen()
                + " uidNext=" + status.uidNext());
    }
}
