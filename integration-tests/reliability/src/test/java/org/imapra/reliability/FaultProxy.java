package org.imapra.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fault-injecting TCP relay on loopback, between the connector and a server (the stand-in's IMAPS port or its token
 * endpoint). TLS goes through it untouched (end to end, host name {@code localhost}), so faults are triggered by
 * time and bytes, not by IMAP words. Per connection two pump threads copy the bytes.
 *
 * <p>Faults: {@link #dropAll()} (close every connection now), {@link #dropAfterServerBytes} (close a connection once
 * the server has sent K more bytes: in the middle of a FETCH, at the next IDLE notification), {@link
 * #dropOnNextClientBytes} (the next command is swallowed, or forwarded and its answer swallowed: a MOVE that is lost
 * or whose OK is lost), {@link #blackhole()} (stop forwarding without closing: a stalled server), {@link #refuseFor}
 * (the port is closed: connection refused), {@link #corruptNextServerBytes()} (garbage in the TLS stream). {@link
 * #pass()} ends blackhole mode for new connections and disarms one-shot faults.
 */
final class FaultProxy implements AutoCloseable {

    private final String name;
    private final InetSocketAddress target;
    private final int port;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong toClient = new AtomicLong();
    private final AtomicLong toServer = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicReference<Trigger> trigger = new AtomicReference<>();
    private final Object listenLock = new Object();
    private volatile ServerSocket server;
    private volatile long refuseUntilNanos;
    private volatile boolean blackholeNew;
    private volatile boolean closed;
    private final Thread acceptor;

    FaultProxy(String name, String targetHost, int targetPort) throws IOException {
        this.name = name;
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.server = listen(0);
        this.port = server.getLocalPort();
        acceptor = new Thread(this::acceptLoop, "fault-proxy-" + name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 100);
        return s;
    }

    int port() {
        return port;
    }

    /** Connections accepted since start. */
    long accepted() {
        return accepted.get();
    }

    /** Connections open now (both sides). */
    int openLinks() {
        return links.size();
    }

    /** Connections the proxy closed because of a fault. */
    long dropped() {
        return dropped.get();
    }

    long bytesToClient() {
        return toClient.get();
    }

    long bytesToServer() {
        return toServer.get();
    }

    // ---- faults ------------------------------------------------------------------------------------------------

    /** Normal relaying for new connections; disarms a pending one-shot fault. Blackholed connections stay dead. */
    void pass() {
        blackholeNew = false;
        trigger.set(null);
    }

    /** Closes every connection now (both sides, without a word). */
    int dropAll() {
        int n = 0;
        for (Link l : links) {
            l.close();
            n++;
        }
        dropped.addAndGet(n);
        return n;
    }

    /** The first connection on which the server sends {@code bytes} more bytes (from now) is closed there. */
    CountDownLatch dropAfterServerBytes(long bytes) {
        Trigger t = new Trigger(Trigger.Kind.SERVER_BYTES, bytes);
        for (Link l : links) {
            l.serverBytesAtArm = l.serverBytes;
        }
        trigger.set(t);
        return t.fired;
    }

    /**
     * The next bytes a client sends (its next command) are swallowed and the connection closed
     * ({@code forward=false}), or forwarded and the server's answer swallowed before the connection is closed
     * ({@code forward=true}: the server did the command, the client never hears so).
     */
    CountDownLatch dropOnNextClientBytes(boolean forward) {
        Trigger t = new Trigger(forward ? Trigger.Kind.CLIENT_FORWARD_THEN_DROP : Trigger.Kind.CLIENT_DROP, 0);
        trigger.set(t);
        return t.fired;
    }

    /** The next bytes the server sends are overwritten with garbage (a corrupt TLS record for the client). */
    CountDownLatch corruptNextServerBytes() {
        Trigger t = new Trigger(Trigger.Kind.CORRUPT, 0);
        trigger.set(t);
        return t.fired;
    }

    /** Stops forwarding on every connection, and on new ones until {@link #pass()}; nothing is closed. */
    int blackhole() {
        blackholeNew = true;
        int n = 0;
        for (Link l : links) {
            l.blackholed = true;
            n++;
        }
        return n;
    }

    /** The listening port is closed for {@code d}: new connections are refused (ECONNREFUSED); then it reopens. */
    void refuseFor(Duration d) {
        synchronized (listenLock) {
            refuseUntilNanos = System.nanoTime() + d.toNanos();
            try {
                server.close();
            } catch (IOException e) {
                // closed
            }
            listenLock.notifyAll();
        }
    }

    /** A server restart: every connection dropped, connections refused for {@code down}, then accepted again. */
    int restart(Duration down) {
        refuseFor(down);
        return dropAll();
    }

    // ---- relaying ----------------------------------------------------------------------------------------------

    private void acceptLoop() {
        while (!closed) {
            ServerSocket s = server;
            try {
                Socket client = s.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> open(client), "fault-proxy-" + name + "-connect");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                reopenWhenDue();
            }
        }
    }

    private void reopenWhenDue() {
        synchronized (listenLock) {
            try {
                while (!closed && System.nanoTime() < refuseUntilNanos) {
                    long left = Math.max(1, (refuseUntilNanos - System.nanoTime()) / 1_000_000);
                    listenLock.wait(left);
                }
                if (closed) {
                    return;
                }
                if (server.isClosed()) {
                    for (int attempt = 0; ; attempt++) {
                        try {
                            server = listen(port);
                            return;
                        } catch (IOException busy) {
                            if (attempt > 100) {
                                throw new IllegalStateException("cannot listen on " + port + " again", busy);
                            }
                            listenLock.wait(20);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void open(Socket client) {
        Socket upstream = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(target, 2_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        Link link = new Link(client, upstream);
        link.blackholed = blackholeNew;
        links.add(link);
        link.start();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (listenLock) {
            closeQuietly(server);
            listenLock.notifyAll();
        }
        links.forEach(Link::close);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + name + " :" + port + " -> " + target + ", open " + links.size() + "]";
    }

    /** A one-shot fault waiting for its moment. */
    private static final class Trigger {
        enum Kind { SERVER_BYTES, CLIENT_DROP, CLIENT_FORWARD_THEN_DROP, CORRUPT }

        final Kind kind;
        final long bytes;
        final CountDownLatch fired = new CountDownLatch(1);

        Trigger(Kind kind, long bytes) {
            this.kind = kind;
            this.bytes = bytes;
        }
    }

    /** One relayed connection. */
    private final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean blackholed;
        volatile boolean swallowNextServerBytes;
        volatile long serverBytes;
        volatile long serverBytesAtArm;
        private volatile boolean done;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            Thread up = new Thread(() -> pump(true), "fault-proxy-" + name + "-c2s");
            Thread down = new Thread(() -> pump(false), "fault-proxy-" + name + "-s2c");
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        void close() {
            if (!done) {
                done = true;
                try {
                    client.setSoLinger(true, 0); // a reset, like a crashed server or a cut network
                } catch (SocketException e) {
                    // closed already
                }
                closeQuietly(client);
                closeQuietly(upstream);
                links.remove(this);
            }
        }

        private void fault() {
            dropped.incrementAndGet();
            close();
        }

        private void pump(boolean clientToServer) {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = (clientToServer ? client : upstream).getInputStream();
                 OutputStream out = (clientToServer ? upstream : client).getOutputStream()) {
                for (;;) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    if (blackholed) {
                        continue; // read and forget: a server that stopped answering
                    }
                    if (clientToServer ? !clientChunk(out, buf, n) : !serverChunk(out, buf, n)) {
                        return;
                    }
                }
            } catch (IOException e) {
                // one side closed or reset: close the other too
            } finally {
                close();
            }
        }

        /** @return false when the connection was dropped */
        private boolean clientChunk(OutputStream out, byte[] buf, int n) throws IOException {
            Trigger t = trigger.get();
            if (t != null && t.kind == Trigger.Kind.CLIENT_DROP && trigger.compareAndSet(t, null)) {
                t.fired.countDown();
                fault();
                return false;
            }
            if (t != null && t.kind == Trigger.Kind.CLIENT_FORWARD_THEN_DROP && trigger.compareAndSet(t, null)) {
                swallowNextServerBytes = true;
                out.write(buf, 0, n);
                out.flush();
                toServer.addAndGet(n);
                t.fired.countDown();
                return true;
            }
            out.write(buf, 0, n);
            out.flush();
            toServer.addAndGet(n);
            return true;
        }

        private boolean serverChunk(OutputStream out, byte[] buf, int n) throws IOException {
            if (swallowNextServerBytes) {
                fault();
                return false;
            }
            Trigger t = trigger.get();
            if (t != null && t.kind == Trigger.Kind.SERVER_BYTES) {
                long after = serverBytes + n - serverBytesAtArm;
                if (after >= t.bytes && trigger.compareAndSet(t, null)) {
                    int keep = (int) Math.max(0, Math.min(n, t.bytes - (serverBytes - serverBytesAtArm) - 1));
                    out.write(buf, 0, keep);
                    out.flush();
                    toClient.addAndGet(keep);
                    t.fired.countDown();
                    fault();
                    return false;
                }
            }
            if (t != null && t.kind == Trigger.Kind.CORRUPT && trigger.compareAndSet(t, null)) {
                for (int i = 0; i < n; i++) {
                    buf[i] = (byte) (0x5A ^ buf[i] ^ i);
                }
                t.fired.countDown();
            }
            serverBytes += n;
            out.write(buf, 0, n);
            out.flush();
            toClient.addAndGet(n);
            return true;
        }
    }
}
