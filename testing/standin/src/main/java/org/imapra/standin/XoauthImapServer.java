package org.imapra.standin;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

/**
 * GreenMail's IMAP server with the stand-in's TLS certificate (no GreenMail keystore, no system properties) and
 * {@link XoauthImapHandler}s; keeps the set of live connections.
 */
final class XoauthImapServer extends AbstractServer {
    private final SSLContext tls;
    private final XoauthImapHandler.Authorizer authorizer;
    private final Set<XoauthImapHandler> live = ConcurrentHashMap.newKeySet();
    private final CommandCounter commands = new CommandCounter();
    private final MailboxFaults faults = new MailboxFaults();
    private final AtomicBoolean greenMailOrder = new AtomicBoolean();

    XoauthImapServer(ServerSetup setup, Managers managers, SSLContext tls, XoauthImapHandler.Authorizer authorizer,
                     int idleTimeoutMillis) {
        super(setup, managers);
        this.tls = tls;
        this.authorizer = authorizer;
        setClientSocketTimeout(idleTimeoutMillis);
    }

    @Override
    protected ServerSocket openServerSocket() throws IOException {
        ServerSocket socket = tls.getServerSocketFactory().createServerSocket();
        socket.setReuseAddress(true);
        try {
            socket.bind(new InetSocketAddress(bindTo, setup.getPort()));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        setup = setup.port(socket.getLocalPort());
        setName("imaps-xoauth2:" + setup.getBindAddress() + ':' + setup.getPort());
        return socket;
    }

    @Override
    protected ProtocolHandler createProtocolHandler(Socket clientSocket) {
        try {
            clientSocket.setTcpNoDelay(true); // like a real server: no Nagle delay between response lines
        } catch (java.net.SocketException e) {
            throw new IllegalStateException("Cannot set TCP_NODELAY", e);
        }
        XoauthImapHandler handler = new XoauthImapHandler(managers.getUserManager(), managers.getImapHostManager(),
                clientSocket, authorizer, live::remove, commands, greenMailOrder::get, faults);
        faults.accepted();
        live.add(handler);
        return handler;
    }

    AtomicBoolean greenMailOrder() {
        return greenMailOrder;
    }

    MailboxFaults faults() {
        return faults;
    }

    CommandCounter commands() {
        return commands;
    }

    /** Connections accepted and not yet closed. */
    Set<XoauthImapHandler> handlers() {
        return live;
    }
}
