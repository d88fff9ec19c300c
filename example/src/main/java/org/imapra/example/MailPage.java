package org.imapra.example;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.imapra.api.FolderStatus;

/**
 * The example's page (context root): INBOX of the definition {@value SandboxMailbox#MAILBOX} as read by the EJB
 * {@link SandboxMailbox}, what the MDB {@link SandboxMailListener} received, and a "Send a test mail" button.
 * Plain-text endpoints for scripts: {@code GET ping} (one STATUS through the pool) and {@code GET received}
 * (one subject per line, newest first).
 */
@WebServlet(urlPatterns = {"", "/send", "/ping", "/received"})
public class MailPage extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @EJB
    private SandboxMailbox mailbox;

    @EJB
    private ReceivedMail received;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        switch (req.getServletPath()) {
            case "/ping" -> ping(resp);
            case "/received" -> {
                resp.setContentType("text/plain;charset=UTF-8");
                PrintWriter out = resp.getWriter();
                received.newestFirst().forEach(r -> out.println(r.subject()));
            }
            case "/send" -> resp.sendRedirect(req.getContextPath() + "/");
            default -> page(req, resp);
        }
    }

    /** Sends a test mail to the mailbox, then shows the page again (post/redirect/get). */
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"/send".equals(req.getServletPath())) {
            resp.sendError(405);
            return;
        }
        String outcome;
        try {
            outcome = "Sent \"" + TestMail.send(mailbox.address()) + "\": the MDB shows it within seconds.";
        } catch (Exception e) {
            log("Sending the test mail failed", e);
            outcome = "Sending the test mail failed: " + chain(e);
        }
        resp.sendRedirect(req.getContextPath() + "/?outcome=" + URLEncoder.encode(outcome, StandardCharsets.UTF_8));
    }

    private void ping(HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        try {
            FolderStatus s = mailbox.ping();
            resp.getWriter().println("OK " + SandboxMailbox.MAILBOX + " " + SandboxMailbox.FOLDER + " messages="
                    + s.messages() + " unseen=" + s.unseen());
        } catch (Exception e) {
            log("ping failed", e);
            resp.setStatus(503);
            resp.getWriter().println("FAILED " + chain(e));
        }
    }

    private void page(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/html;charset=UTF-8");
        PrintWriter out = resp.getWriter();
        out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"refresh\" content=\"2;url=" + esc(req.getContextPath()) + "/\">"
                + "<title>imapra example</title><style>body{font-family:sans-serif;margin:2em}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
                + ".err{color:#b00}form{margin:1em 0}</style></head><body>");
        out.println("<h1>imapra example</h1>");
        String outcome = req.getParameter("outcome");
        if (outcome != null) {
            out.println("<p id=\"outcome\"><b>" + esc(outcome) + "</b></p>");
        }

        out.println("<h2>INBOX of definition <code>" + SandboxMailbox.MAILBOX + "</code> (EJB)</h2>");
        try {
            SandboxMailbox.Inbox inbox = mailbox.inbox(20);
            out.println("<p>" + esc(inbox.address()) + ": " + count(inbox.status().messages(), "message") + ", "
                    + inbox.status().unseen() + " unseen</p>");
            out.println("<table id=\"inbox\"><tr><th>UID</th><th>Subject</th><th>From</th><th>Date</th>"
                    + "<th>Seen</th></tr>");
            for (SandboxMailbox.Mail m : inbox.newest()) {
                out.println("<tr><td>" + m.uid() + "</td><td>" + esc(m.subject()) + "</td><td>" + esc(m.from())
                        + "</td><td>" + (m.date() == null ? "" : TIME.format(m.date())) + "</td><td>"
                        + (m.seen() ? "yes" : "no") + "</td></tr>");
            }
            out.println("</table>");
        } catch (Exception e) {
            log("Listing INBOX failed", e);
            out.println("<p class=\"err\">Cannot list INBOX: " + esc(chain(e)) + "</p>");
        }

        if (TestMail.available()) {
            out.println("<form method=\"post\" action=\"" + esc(req.getContextPath()) + "/send\">"
                    + "<button type=\"submit\">Send a test mail</button></form>");
        }

        out.println("<h2>Received by the MDB</h2><table id=\"received\"><tr><th>At</th><th>Subject</th>"
                + "<th>From</th><th>Origin</th></tr>");
        for (ReceivedMail.Received r : received.newestFirst()) {
            out.println("<tr><td>" + TIME.format(r.at()) + "</td><td>" + esc(r.subject()) + "</td><td>"
                    + esc(r.from()) + "</td><td><code>" + esc(r.key()) + "</code></td></tr>");
        }
        out.println("</table></body></html>");
    }

    /** "1 message", "2 messages". */
    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String chain(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!b.isEmpty()) {
                b.append(" <- ");
            }
            b.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return b.toString();
    }

    private static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
