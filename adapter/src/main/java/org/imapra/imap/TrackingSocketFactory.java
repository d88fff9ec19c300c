package org.imapra.imap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocketFactory;

/**
 * The JVM's default TLS socket factory (Angus still verifies the host name: {@code mail.imaps.ssl.checkserveridentity}),
 * remembering the sockets it made so that the activation can bound an IDLE with a read timeout and, when stopping,
 * close a connection that does not answer from another thread without taking Angus' locks.
 */
public final class TrackingSocketFactory extends SSLSocketFactory {

    private static final Logger LOG = Logger.getLogger(TrackingSocketFactory.class.getName());

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private static SSLSocketFactory delegate() {
        return (SSLSocketFactory) SSLSocketFactory.getDefault();
    }

    private Socket track(Socket s) {
        sockets.add(s);
        return s;
    }

    /** The socket whose local address is {@code local} (the one a given IMAP connection uses), or null. */
    public Socket find(SocketAddress local) {
        for (Socket s : sockets) {
            if (local != null && local.equals(s.getLocalSocketAddress())) {
                return s;
            }
        }
        return null;
    }

    /** Sets the read timeout of {@code s} (at least 1 ms); false when it is closed or cannot be set. */
    public static boolean readTimeout(Socket s, int millis) {
        try {
            if (s != null && !s.isClosed()) {
                s.setSoTimeout(Math.max(1, millis));
                return true;
            }
        } catch (SocketException e) {
            LOG.log(Level.FINE, "Cannot set the read timeout: " + e.getMessage(), e);
        }
        return false;
    }

    /** Closes every socket (unblocks a thread reading from it). Never throws. */
    public void closeAll() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "Closing a socket failed: " + e.getMessage(), e);
            }
        }
        sockets.clear();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return track(delegate().createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket() throws IOException {
        return track(delegate().createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return track(delegate().createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return track(delegate().createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return track(delegate().createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return track(delegate().createSocket(address, port, localAddress, localPort));
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate().getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate().getSupportedCipherSuites();
    }
}
