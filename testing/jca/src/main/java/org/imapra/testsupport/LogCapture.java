package org.imapra.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Pattern;

/**
 * Captures the log records of some java.util.logging loggers (every level, with stack traces) for assertions: the
 * messages a test expects, and that no secret or token ever reaches a log. {@link #install} sets the loggers to
 * {@code ALL} and {@link #uninstall} puts back their levels.
 */
public final class LogCapture extends Handler {

    /** Anything shaped like a JWT (an access token): a base64url JSON header, a dot and more base64url. */
    public static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}");

    private final List<Logger> loggers = new ArrayList<>();
    private final List<Level> previous = new ArrayList<>();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    private LogCapture() {
    }

    /** Starts capturing every record of the loggers {@code names} (and their children). */
    public static LogCapture install(String... names) {
        LogCapture c = new LogCapture();
        c.setLevel(Level.ALL);
        for (String name : names) {
            Logger l = Logger.getLogger(name);
            c.loggers.add(l); // held: a logger nobody references may be collected, and its level with it
            c.previous.add(l.getLevel());
            l.setLevel(Level.ALL);
            l.addHandler(c);
        }
        return c;
    }

    /** Stops capturing and gives the loggers their levels back. */
    public void uninstall() {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).removeHandler(this);
            loggers.get(i).setLevel(previous.get(i));
        }
    }

    /** Forgets the records captured so far. */
    public void clear() {
        records.clear();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** How many records were captured. */
    public int count() {
        return records.size();
    }

    /** Logger name, level, formatted message and stack trace of {@code r}: all of it that could hold a secret. */
    public String text(LogRecord r) {
        StringBuilder sb = new StringBuilder(r.getLoggerName()).append(' ').append(r.getLevel()).append(' ')
                .append(formatter.formatMessage(r));
        if (r.getThrown() != null) {
            StringWriter sw = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(sw));
            sb.append('\n').append(sw);
        }
        return sb.toString();
    }

    /** The messages (unformatted) of the records at {@code level} that {@code filter} accepts, in order. */
    public List<String> messages(Level level, Predicate<String> filter) {
        return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage)
                .filter(filter).toList();
    }

    /** The records (as {@link #text}) that contain one of {@code secrets} or something shaped like a JWT. */
    public List<String> leaks(String... secrets) {
        return records.stream().map(this::text)
                .filter(t -> JWT.matcher(t).find() || List.of(secrets).stream().anyMatch(t::contains)).toList();
    }

    /** Fails when a captured record contains one of {@code secrets} or anything shaped like a JWT access token. */
    public void assertNoSecrets(String... secrets) {
        List<String> leaks = leaks(secrets);
        leaks.forEach(l -> System.err.println("LEAK: " + l));
        System.out.println("log lines captured: " + count() + ", lines with a secret or token: " + leaks.size());
        if (!leaks.isEmpty()) {
            throw new AssertionError("secrets or tokens in log lines ==> expected: <0> but was: <" + leaks.size()
                    + ">");
        }
    }
}
