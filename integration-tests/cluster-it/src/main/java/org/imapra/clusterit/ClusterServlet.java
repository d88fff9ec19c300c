package org.imapra.clusterit;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import jakarta.annotation.Resource;
import jakarta.resource.AdministeredObjectDefinition;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import javax.naming.InitialContext;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;
import org.imapra.api.admin.DefinitionException;
import org.imapra.api.admin.DefinitionInput;
import org.imapra.api.admin.DefinitionView;
import org.imapra.api.admin.LiveStatus;
import org.imapra.api.admin.MailboxAdmin;

/**
 * What the cluster IT asks an instance: {@code GET status} (who holds each mailbox's lease, as this instance sees
 * it), {@code POST define?name=&mailbox=} (creates or changes a definition of the stand-in through the admin API, as
 * the console does), {@code GET use?name=} (opens a connection with the named definition: its INBOX's count),
 * {@code GET owner?key=} (the data grid member, "host:port", owning the partition of a lease key: while that member
 * is paused nobody can read or take a lease kept in the grid) and {@code GET member} (this instance's member address).
 */
@AdministeredObjectDefinition(name = ClusterServlet.ADMIN, resourceAdapter = "imapra",
        className = "org.imapra.admin.ImapMailboxAdmin", interfaceName = "org.imapra.api.admin.MailboxAdmin")
@ConnectionFactoryDefinition(name = ClusterServlet.FACTORY, resourceAdapter = "imapra",
        interfaceName = "org.imapra.api.ImapConnectionFactory", minPoolSize = 0, maxPoolSize = 2)
@WebServlet("/cluster/*")
public class ClusterServlet extends HttpServlet {

    static final String ADMIN = "java:app/imapra/admin";
    static final String FACTORY = "java:app/mail/imapra";
    private static final long serialVersionUID = 1L;

    @Resource(lookup = ADMIN)
    private transient MailboxAdmin admin;
    @Resource(lookup = FACTORY)
    private transient ImapConnectionFactory mail;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        String what = req.getPathInfo();
        try {
            if ("/status".equals(what)) {
                StringBuilder sb = new StringBuilder();
                for (String name : List.of("support", "sales", "billing", "dovecot")) {
                    List<LiveStatus.Activation> a = admin.status(name).activations();
                    sb.append(name).append(' ').append(a.isEmpty() ? "-" : a.get(0).holder()).append('\n');
                }
                resp.getWriter().print(sb);
            } else if ("/owner".equals(what)) {
                HazelcastInstance hz = (HazelcastInstance) new InitialContext().lookup("payara/Hazelcast");
                Address owner = hz.getPartitionService().getPartition(req.getParameter("key")).getOwner().getAddress();
                resp.getWriter().print(owner.getHost() + ":" + owner.getPort());
            } else if ("/member".equals(what)) {
                HazelcastInstance hz = (HazelcastInstance) new InitialContext().lookup("payara/Hazelcast");
                Address self = hz.getCluster().getLocalMember().getAddress();
                resp.getWriter().print(self.getHost() + ":" + self.getPort());
            } else if ("/use".equals(what)) {
                try (ImapConnection c = mail.getConnection(req.getParameter("name"))) {
                    resp.getWriter().print("messages=" + c.status("INBOX").messages());
                }
            } else {
                resp.sendError(404);
            }
        } catch (Exception e) {
            resp.setStatus(500);
            resp.getWriter().print(e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        String name = req.getParameter("name");
        DefinitionInput in = new DefinitionInput();
        in.setName(name);
        in.setUserName(req.getParameter("mailbox"));
        in.setTenantId(System.getProperty("imapra.it.tenantId"));
        in.setClientId(System.getProperty("imapra.it.clientId"));
        in.setAuthorityHost(System.getProperty("imapra.it.authorityHost"));
        in.setImapHost(System.getProperty("imapra.it.imapHost"));
        in.setImapPort(Integer.valueOf(System.getProperty("imapra.it.imapsPort")));
        try {
            DefinitionView existing = admin.get(name).orElse(null);
            DefinitionView saved;
            if (existing == null) {
                in.setClientSecret(System.getProperty("imapra.it.clientSecret").toCharArray());
                saved = admin.create(in, "cluster-it");
            } else {
                saved = admin.update(name, existing.version(), in, "cluster-it");
            }
            resp.getWriter().print("version=" + saved.version());
        } catch (DefinitionException e) {
            resp.setStatus(409);
            resp.getWriter().print(e.getMessage());
        }
    }
}
