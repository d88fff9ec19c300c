package org.imapra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Pattern;

/**
 * Captures every log line of the adapter, MSAL and Angus Mail at the finest level, with stack traces, so tests can
 * prove that no secret or token ever reaches a log.
 */
final class LogCapture extends Handler {

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}");
    private static final LogCapture INSTANCE = new LogCapture();
    private static final List<Logger> KEEP = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    static synchronized void install() {
        if (!KEEP.isEmpty()) {
            return;
        }
        for (String name : List.of("org.imapra", "com.microsoft.aad", "org.eclipse.angus")) {
            Logger l = Logger.getLogger(name);
            l.setLevel(Level.ALL);
            l.addHandler(INSTANCE);
            KEEP.add(l);
        }
        INSTANCE.setLevel(Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder sb = new StringBuilder(formatter.format(record));
        if (record.getThrown() != null) {
            StringWriter sw = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(sw));
            sb.append(sw);
        }
        lines.add(sb.toString());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    static int lineCount() {
        return INSTANCE.lines.size();
    }

    /** Fails when a captured line contains one of the secrets or anything shaped like a JWT access token. */
    static void assertNoSecrets(String... secrets) {
        long leaks = INSTANCE.lines.stream()
                .filter(l -> JWT.matcher(l).find() || List.of(secrets).stream().anyMatch(l::contains))
                .peek(l -> System.err.println("LEAK: " + l))
                .count();
        System.out.println("log lines captured: " + lineCount() + ", lines with a secret or token: " + leaks);
        assertEquals(0, leaks, "secrets or tokens in log lines");
    }
}
