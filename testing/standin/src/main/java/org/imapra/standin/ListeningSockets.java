package org.imapra.standin;

import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Linux: the listening TCP sockets of this machine's network namespace, from /proc/net/tcp and tcp6, and which of
 * them belong to given processes (their socket inodes under /proc/PID/fd). Reading the tables opens no connection,
 * so asking a server whether it listens does not start a login.
 */
public final class ListeningSockets {

    /** The IPv4 loopback address 127.0.0.1 as /proc/net/tcp writes it (32-bit words in host byte order). */
    private static final String IPV4_LOOPBACK = "0100007F";

    private ListeningSockets() {
    }

    /** Whether any socket listens on this port, on any address. */
    public static boolean isListening(int port) throws IOException {
        return rows().stream().anyMatch(r -> r.port() == port);
    }

    /** Whether a socket listens on 127.0.0.1:port. */
    public static boolean isListeningOnIpv4Loopback(int port) throws IOException {
        return rows().stream().anyMatch(r -> r.port() == port && r.address().equals(IPV4_LOOPBACK));
    }

    /**
     * The ports these processes listen on (processes gone meanwhile are skipped); with {@code exposedOnly} only those
     * bound to an address other than loopback (e.g. every interface).
     */
    public static Set<Integer> ports(Collection<ProcessHandle> processes, boolean exposedOnly) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (ProcessHandle p : processes) {
            inodes.addAll(ProcNetTcp.socketInodes(p.pid()));
        }
        Set<Integer> ports = new TreeSet<>();
        for (ProcNetTcp.Row row : rows()) {
            if (inodes.contains(row.inode()) && (!exposedOnly || !isLoopback(row.address()))) {
                ports.add(row.port());
            }
        }
        return ports;
    }

    /**
     * Whether a /proc/net/tcp{,6} local address (hex, 32-bit words in host byte order, little-endian here) is
     * loopback: 127.x.x.x, the same mapped into IPv6, or ::1.
     */
    static boolean isLoopback(String hexAddress) {
        if (hexAddress.equals("00000000000000000000000001000000")) {
            return true; // ::1
        }
        String v4 = hexAddress.substring(hexAddress.length() - 8);
        boolean mapped = hexAddress.length() == 8 || hexAddress.startsWith("0000000000000000FFFF0000");
        return mapped && v4.endsWith("7F");
    }

    /** Every listening TCP socket (IPv4 and IPv6). */
    private static List<ProcNetTcp.Row> rows() throws IOException {
        return ProcNetTcp.rows().stream().filter(r -> r.state().equals(ProcNetTcp.LISTEN)).toList();
    }
}
