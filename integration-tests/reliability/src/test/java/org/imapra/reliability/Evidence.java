package org.imapra.reliability;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.imapra.testsupport.LogCapture;

/**
 * The secret hunt. Every scenario of the suite runs with {@link #SECRET} as the app's client secret (and some with
 * {@link #WRONG_SECRET}); this class looks for them, raw, URL-encoded (as in a token request body) and base64, and
 * for anything shaped like a JWT access token, in: every log record of {@code org.imapra}, {@code com.microsoft.aad},
 * {@code org.eclipse.angus} and {@code jakarta.mail} at every level (Angus' protocol trace included) with stack
 * traces; every exception a test sees (message, causes, suppressed, stack); the {@code toString()} of every object the
 * tests hold; the definitions store files; everything printed on stdout/stderr. {@link SecretsTest} asserts 0.
 */
final class Evidence {

    /** The app registration's secret value in every scenario: recognisable, and with '~' (URL-encoded %7E). */
    static final String SECRET = "RELIABILITY~Secret.Value_7c1d4e9a2b6f0d3c";
    /** A wrong secret some scenarios use (AADSTS7000215): must not leak either. */
    static final String WRONG_SECRET = "RELIABILITY~Wrong.Value_3f8a1c5e9d2b7a4e";

    private static final List<String> NEEDLES = needles(SECRET, WRONG_SECRET);
    private static final int MAX_NEEDLE = NEEDLES.stream().mapToInt(String::length).max().orElse(1);

    static final Counter LOGS = new Counter("log records");
    static final Counter EXCEPTIONS = new Counter("exceptions");
    static final Counter OBJECTS = new Counter("toString() of held objects");
    static final Counter FILES = new Counter("store files");
    static final Counter OUTPUT = new Counter("stdout/stderr chunks");
    static final AtomicLong JWT_IN_LOGS = new AtomicLong();
    static final List<String> SAMPLES = new CopyOnWriteArrayList<>();

    private static final List<Logger> KEEP = new ArrayList<>();
    private static boolean installed;

    private Evidence() {
    }

    private static List<String> needles(String... secrets) {
        List<String> out = new ArrayList<>();
        for (String s : secrets) {
            // the distinctive tail: found in the raw value, its URL-encoded form (a token request body) and any
            // partial display; each occurrence counted once
            String tail = s.substring(s.lastIndexOf('_') + 1);
            if (!s.contains(tail) || !URLEncoder.encode(s, StandardCharsets.UTF_8).contains(tail)) {
                throw new IllegalStateException(tail);
            }
            out.add(tail);
            String b64 = Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
            String b64url = Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
            out.add(b64);
            if (!b64.contains(b64url)) {
                out.add(b64url);
            }
        }
        return List.copyOf(out);
    }

    /** Number of secret occurrences (any form) in {@code text}. */
    static int occurrences(String text) {
        if (text == null) {
            return 0;
        }
        int n = 0;
        for (String needle : NEEDLES) {
            for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
                n++;
            }
        }
        return n;
    }

    /** Installs the log capture (every level) and the stdout/stderr scan; idempotent. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Handler h = new Handler() {
            private final SimpleFormatter f = new SimpleFormatter();

            @Override
            public void publish(LogRecord r) {
                StringBuilder sb = new StringBuilder(r.getLoggerName()).append(' ').append(r.getLevel()).append(' ');
                try {
                    sb.append(f.formatMessage(r));
                } catch (RuntimeException e) {
                    sb.append(r.getMessage());
                }
                if (r.getThrown() != null) {
                    sb.append('\n').append(stackTrace(r.getThrown()));
                }
                String text = sb.toString();
                if (LogCapture.JWT.matcher(text).find()) {
                    JWT_IN_LOGS.incrementAndGet();
                    sample("JWT in log: " + text);
                }
                LOGS.check(text);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        h.setLevel(Level.ALL);
        for (String name : List.of("org.imapra", "com.microsoft.aad", "org.eclipse.angus", "jakarta.mail")) {
            Logger l = Logger.getLogger(name);
            l.setLevel(Level.ALL);
            l.addHandler(h);
            KEEP.add(l);
        }
        System.setOut(new PrintStream(new Scanning(System.out), true));
        System.setErr(new PrintStream(new Scanning(System.err), true));
    }

    static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }

    /** Scans an exception the test saw (message, causes, suppressed, stack); returns it. */
    static <T extends Throwable> T exception(T t) {
        if (t != null) {
            EXCEPTIONS.check(stackTrace(t));
        }
        return t;
    }

    /** Scans the {@code toString()} of objects the test holds; returns the first. */
    static <T> T objects(T first, Object... more) {
        OBJECTS.check(String.valueOf(first));
        for (Object o : more) {
            OBJECTS.check(String.valueOf(o));
        }
        return first;
    }

    /** Scans every file under {@code dir} (bytes as Latin-1, so any ASCII form of a secret is found). */
    static int files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                FILES.check(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
                n++;
            }
        }
        return n;
    }

    private static void sample(String s) {
        if (SAMPLES.size() < 20) {
            SAMPLES.add(s.length() > 2_000 ? s.substring(0, 2_000) + " ..." : s);
        }
    }

    /** Total secret occurrences found so far, everywhere. */
    static long leaks() {
        return LOGS.leaks.get() + EXCEPTIONS.leaks.get() + OBJECTS.leaks.get() + FILES.leaks.get()
                + OUTPUT.leaks.get() + JWT_IN_LOGS.get();
    }

    /** How many things were looked at, and how many secret occurrences were found in them. */
    static final class Counter {
        final String what;
        final AtomicLong checked = new AtomicLong();
        final AtomicLong leaks = new AtomicLong();

        Counter(String what) {
            this.what = what;
        }

        void check(String text) {
            checked.incrementAndGet();
            int n = occurrences(text);
            if (n > 0) {
                leaks.addAndGet(n);
                sample(what + ": " + text);
            }
        }
    }

    /** Passes bytes through, scanning them (with the tail of the previous write, so a split secret is found). */
    private static final class Scanning extends FilterOutputStream {
        private String tail = "";

        Scanning(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            String chunk = tail + new String(b, off, len, StandardCharsets.ISO_8859_1);
            int before = occurrences(tail);
            int n = occurrences(chunk) - before;
            OUTPUT.checked.incrementAndGet();
            if (n > 0) {
                OUTPUT.leaks.addAndGet(n);
                if (SAMPLES.size() < 20) {
                    SAMPLES.add("output: " + chunk);
                }
            }
            tail = chunk.length() > MAX_NEEDLE ? chunk.substring(chunk.length() - MAX_NEEDLE) : chunk;
        }
    }
}
