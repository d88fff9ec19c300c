package org.imapra.standin;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Dovecot's rawlog ({@code rawlog_dir}): every IMAP session after login writes what the client sent to a
 * {@code *.in} file. Counts the command lines by name ({@code UID FETCH}, {@code IDLE}; {@code DONE}, which ends an
 * IDLE, is not a command; login commands are not in it), from where {@link #reset()} left each file.
 */
final class DovecotRawlog {
    private final Path dir;
    private final Map<Path, Long> offsets = new HashMap<>();

    DovecotRawlog(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // the mail user writes
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
    }

    Path dir() {
        return dir;
    }

    /** From now on, count only what is written after this moment. */
    synchronized void reset() {
        offsets.clear();
        for (Path f : inputs()) {
            offsets.put(f, size(f));
        }
    }

    /** Commands received since the last {@link #reset()}, by name. */
    synchronized Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        forEachLine(line -> {
            String name = commandName(line);
            if (name != null) {
                counts.merge(name, 1L, Long::sum);
            }
        });
        return counts;
    }

    /**
     * When (epoch milliseconds, rawlog's time stamp) the first line since the last {@link #reset()} was received,
     * DONE included, leaving out the commands named in {@code ignored}; -1 when there is none.
     */
    synchronized long firstLineMillis(java.util.Set<String> ignored) {
        long[] first = {Long.MAX_VALUE};
        forEachLine(line -> {
            String name = commandName(line);
            String[] w = line.trim().split(" ");
            if (w.length > 1 && w[0].matches("\\d+\\.\\d+") && (name == null || !ignored.contains(name))) {
                first[0] = Math.min(first[0], (long) (Double.parseDouble(w[0]) * 1000));
            }
        });
        return first[0] == Long.MAX_VALUE ? -1 : first[0];
    }

    private void forEachLine(java.util.function.Consumer<String> action) {
        for (Path f : inputs()) {
            long from = offsets.getOrDefault(f, 0L);
            try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "r")) {
                long length = r.length();
                if (length <= from) {
                    continue;
                }
                byte[] b = new byte[(int) (length - from)];
                r.seek(from);
                r.readFully(b);
                for (String line : new String(b, StandardCharsets.ISO_8859_1).split("\r?\n")) {
                    action.accept(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + f, e);
            }
        }
    }

    /**
     * {@code 1796158854.076115 a1 UID FETCH 1:* (UID)} (rawlog's time stamp, tag, command) → {@code UID FETCH};
     * null for DONE and what is no command line.
     */
    static String commandName(String line) {
        String[] w = line.trim().split(" ");
        int i = w.length > 0 && w[0].matches("\\d+\\.\\d+") ? 1 : 0; // the time stamp
        if (w.length < i + 2) {
            return null;
        }
        String name = w[i + 1].toUpperCase(Locale.ROOT);
        if (name.equals("UID") && w.length > i + 2) {
            return "UID " + w[i + 2].toUpperCase(Locale.ROOT);
        }
        return name.chars().allMatch(c -> c >= 'A' && c <= 'Z') ? name : null;
    }

    private Iterable<Path> inputs() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".in")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }
}
