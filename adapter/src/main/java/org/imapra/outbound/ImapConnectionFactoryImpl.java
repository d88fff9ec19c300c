package org.imapra.outbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import javax.naming.Reference;
import org.imapra.api.ImapConnection;
import org.imapra.api.ImapConnectionFactory;

/** The factory applications look up: asks the connection manager (the container's pool) for a handle. */
public class ImapConnectionFactoryImpl implements ImapConnectionFactory {

    private static final long serialVersionUID = 1L;

    private final ImapManagedConnectionFactory mcf;
    private final transient ConnectionManager connectionManager;
    private Reference reference;

    public ImapConnectionFactoryImpl(ImapManagedConnectionFactory mcf, ConnectionManager connectionManager) {
        this.mcf = mcf;
        this.connectionManager = connectionManager;
    }

    @Override
    public ImapConnection getConnection() throws ResourceException {
        return allocate(new ImapConnectionRequestInfo(mcf.requireDefault()));
    }

    @Override
    public ImapConnection getConnection(String mailbox) throws ResourceException {
        return allocate(new ImapConnectionRequestInfo(mcf.resolve(mailbox)));
    }

    private ImapConnection allocate(ImapConnectionRequestInfo cri) throws ResourceException {
        if (connectionManager == null) {
            throw new ResourceException("This ImapConnectionFactory was deserialised without its connection manager; "
                    + "look it up in JNDI again");
        }
        return (ImapConnection) connectionManager.allocateConnection(mcf, cri);
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
