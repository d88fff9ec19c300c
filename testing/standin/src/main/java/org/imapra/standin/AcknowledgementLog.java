package org.imapra.standin;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Records {@link Acknowledgement}s while on (off by default: finding a connection's client process scans /proc once
 * per connection). The client end is looked up while its connection sends a command, so the process still holds it
 * (a stopped process too).
 */
final class AcknowledgementLog {

    private record Client(long connection, long pid) {
    }

    private volatile boolean on;
    private final List<Acknowledgement> received = new CopyOnWriteArrayList<>();
    private final Map<Socket, Client> clients = new WeakHashMap<>();
    private final AtomicLong connections = new AtomicLong();

    /** Starts recording afresh. */
    void start() {
        received.clear();
        on = true;
    }

    boolean on() {
        return on;
    }

    List<Acknowledgement> received() {
        return List.copyOf(received);
    }

    /** {@code line} (tag and command, no CRLF) arrived on {@code socket}, authenticated for {@code mailbox}. */
    void command(Socket socket, String mailbox, String line) {
        if (!on || line == null) {
            return;
        }
        long at = System.nanoTime();
        String[] w = line.split(" +");
        boolean uid = w.length > 1 && w[1].equalsIgnoreCase("UID");
        int name = uid ? 2 : 1;
        if (w.length <= name || !isAcknowledgement(w[name].toUpperCase(Locale.ROOT), line)) {
            return;
        }
        Client c;
        synchronized (clients) {
            c = clients.computeIfAbsent(socket, s -> new Client(connections.incrementAndGet(),
                    ownerOf(s.getPort(), s.getLocalPort())));
        }
        List<Long> uids = uid && w.length > name + 1 ? uids(w[name + 1]) : List.of();
        received.add(new Acknowledgement(c.connection(), c.pid(), socket.getPort(), mailbox,
                line.substring(line.indexOf(' ') + 1), uids, at));
    }

    private static boolean isAcknowledgement(String command, String line) {
        String upper = line.toUpperCase(Locale.ROOT);
        return switch (command) {
            case "MOVE", "EXPUNGE" -> true;
            case "STORE" -> upper.contains("+FLAGS") && (upper.contains("\\SEEN") || upper.contains("\\DELETED"));
            default -> false;
        };
    }

    /** "3:5,8" as 3, 4, 5, 8 ('*' and malformed parts skipped). */
    static List<Long> uids(String set) {
        List<Long> out = new ArrayList<>();
        for (String part : set.split(",")) {
            String[] range = part.split(":");
            try {
                long from = Long.parseLong(range[0]);
                long to = range.length > 1 ? Long.parseLong(range[1]) : from;
                for (long u = Math.min(from, to); u <= Math.max(from, to); u++) {
                    out.add(u);
                }
            } catch (NumberFormatException e) {
                // '*': not named
            }
        }
        return out;
    }

    /** The process holding the end of a loopback connection bound to {@code clientPort}, connected to ours; or -1. */
    static long ownerOf(int clientPort, int serverPort) {
        try {
            String inode = ProcNetTcp.rows().stream()
                    .filter(r -> r.port() == clientPort && r.remotePort() == serverPort
                            && r.state().equals(ProcNetTcp.ESTABLISHED))
                    .map(ProcNetTcp.Row::inode).findFirst().orElse(null);
            if (inode == null) {
                return -1;
            }
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.toList()) {
                    String name = p.getFileName().toString();
                    if (name.chars().allMatch(Character::isDigit)
                            && ProcNetTcp.socketInodes(Long.parseLong(name)).contains(inode)) {
                        return Long.parseLong(name);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
