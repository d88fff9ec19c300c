package org.imapra.bench;

import com.icegreen.greenmail.server.AbstractSocketProtocolHandler;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.Socket;
import java.net.SocketException;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.imapra.standin.LocalM365;

/**
 * Works around a property of the stand-in that would dominate every IMAP figure: GreenMail flushes after each
 * response line, and the stand-in's IMAPS server leaves Nagle's algorithm on, so the tagged line of any command with
 * an untagged response waits for the client's delayed ACK (about 40 ms on Linux loopback). Until the stand-in sets
 * TCP_NODELAY on the sockets it accepts ({@code XoauthImapServer.createProtocolHandler}: {@code
 * clientSocket.setTcpNoDelay(true)}), this sets it from outside: the server's set of live connections is replaced, by
 * reflection, with one that sets TCP_NODELAY on each connection as it is registered, before its first response.
 * Does nothing when the stand-in already sets it. The token endpoint (the JDK's HttpsServer) gets it through the
 * JDK's {@code sun.net.httpserver.nodelay} property.
 *
 * <p>{@code --with-nagle} on the command line measures the stand-in as it is.
 */
final class StandInNoDelay {

    /** System property that turns the workaround off (the parent passes it on to the JVMs it starts). */
    static final String WITH_NAGLE = "imapra.bench.withNagle";

    static boolean enabled() {
        return !Boolean.getBoolean(WITH_NAGLE);
    }

    private StandInNoDelay() {
    }

    /** Before any stand-in starts: TCP_NODELAY for the JDK's HTTP server (the token endpoint). */
    static void httpServer() {
        if (enabled()) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** TCP_NODELAY on every IMAPS connection the stand-in accepts from now on. */
    @SuppressWarnings("unchecked")
    static LocalM365 apply(LocalM365 m365) {
        if (!enabled()) {
            return m365;
        }
        try {
            Object mailServer = m365.mailServer();
            Method imaps = mailServer.getClass().getDeclaredMethod("imaps");
            imaps.setAccessible(true);
            Object server = imaps.invoke(mailServer);
            Field live = server.getClass().getDeclaredField("live");
            live.setAccessible(true);
            Set<Object> current = (Set<Object>) live.get(server);
            if (!(current instanceof NoDelaySet)) {
                live.set(server, new NoDelaySet(current));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("TCP_NODELAY could not be set on the stand-in's IMAP connections (" + e
                    + "): IMAP figures include Nagle/delayed-ACK stalls");
        }
        return m365;
    }

    private static final class NoDelaySet extends AbstractSet<Object> {
        private final Set<Object> delegate = ConcurrentHashMap.newKeySet();

        NoDelaySet(Set<Object> existing) {
            delegate.addAll(existing);
        }

        @Override
        public boolean add(Object handler) {
            noDelay(handler);
            return delegate.add(handler);
        }

        @Override
        public boolean remove(Object o) {
            return delegate.remove(o);
        }

        @Override
        public boolean contains(Object o) {
            return delegate.contains(o);
        }

        @Override
        public Iterator<Object> iterator() {
            return delegate.iterator();
        }

        @Override
        public int size() {
            return delegate.size();
        }

        private static void noDelay(Object handler) {
            try {
                Field f = AbstractSocketProtocolHandler.class.getDeclaredField("socket");
                f.setAccessible(true);
                Socket s = (Socket) f.get(handler);
                if (!s.getTcpNoDelay()) {
                    s.setTcpNoDelay(true);
                }
            } catch (ReflectiveOperationException | SocketException | RuntimeException e) {
                // leave the connection as it is
            }
        }
    }
}
