package org.imapra.standin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Linux: the TCP sockets of this machine's network namespace (/proc/net/tcp and tcp6, IPv4 and IPv6) and the socket
 * inodes a process holds (/proc/PID/fd). Reading them opens no connection.
 */
final class ProcNetTcp {

    static final String LISTEN = "0A";
    static final String ESTABLISHED = "01";
    /** Closed by the peer, not yet by this side. */
    static final String CLOSE_WAIT = "08";

    private ProcNetTcp() {
    }

    /**
     * One socket: local address (hex, as /proc writes it) and port, the remote port, the state (hex) and the inode.
     */
    record Row(String address, int port, int remotePort, String state, String inode) {
    }

    /** Every TCP socket now, IPv4 and IPv6 (no table on a non-Linux host: none). */
    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p); // once: other processes open sockets meanwhile
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9) {
                    String local = f[1];
                    int colon = local.indexOf(':');
                    String remote = f[2];
                    rows.add(new Row(local.substring(0, colon), Integer.parseInt(local.substring(colon + 1), 16),
                            Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16), f[3], f[9]));
                }
            }
        }
        return rows;
    }

    /** The inodes of the sockets process {@code pid} holds open (none when it is gone or not readable). */
    static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        Path fds = Path.of("/proc", Long.toString(pid), "fd");
        try (Stream<Path> s = Files.list(fds)) {
            for (Path fd : s.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        } catch (IOException | SecurityException | java.io.UncheckedIOException gone) {
            // the process ended, or is not ours to read
        }
        return inodes;
    }
}
