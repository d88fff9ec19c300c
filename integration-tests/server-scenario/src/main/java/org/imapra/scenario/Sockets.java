package org.imapra.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Linux: the TCP ports processes listen on, from /proc (their socket inodes matched against /proc/net/tcp{,6}). */
public final class Sockets {

    private Sockets() {
    }

    /** Listening ports of these processes; with {@code exposedOnly} only those bound to more than loopback. */
    public static Set<Integer> listening(List<ProcessHandle> processes, boolean exposedOnly) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (ProcessHandle p : processes) {
            Path fds = Path.of("/proc", Long.toString(p.pid()), "fd");
            if (!Files.isDirectory(fds)) {
                continue;
            }
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
            }
        }
        Set<Integer> ports = new TreeSet<>();
        for (String[] row : rows()) {
            if (inodes.contains(row[1]) && (!exposedOnly || !isLoopback(row[2]))) {
                ports.add(Integer.parseInt(row[0]));
            }
        }
        return ports;
    }

    private static boolean isLoopback(String hex) {
        if (hex.equals("00000000000000000000000001000000")) {
            return true; // ::1
        }
        String v4 = hex.substring(hex.length() - 8);
        boolean mapped = hex.length() == 8 || hex.startsWith("0000000000000000FFFF0000");
        return mapped && v4.endsWith("7F");
    }

    private static List<String[]> rows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A")) { // LISTEN
                    String local = f[1];
                    int port = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                    rows.add(new String[] {Integer.toString(port), f[9], local.substring(0, local.indexOf(':'))});
                }
            }
        }
        return rows;
    }
}
