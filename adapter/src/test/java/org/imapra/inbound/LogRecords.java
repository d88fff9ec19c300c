package org.imapra.inbound;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Pattern;

/** Collects the adapter's log records (every level, with stack traces) for assertions. */
final class LogRecords extends Handler {

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}");
    private final Logger logger = Logger.getLogger("org.imapra");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();
    private Level previous;

    static LogRecords install() {
        LogRecords r = new LogRecords();
        r.setLevel(Level.ALL);
        r.previous = r.logger.getLevel();
        r.logger.setLevel(Level.ALL);
        r.logger.addHandler(r);
        return r;
    }

    void uninstall() {
        logger.removeHandler(this);
        logger.setLevel(previous);
    }

    void clear() {
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

    /** Formatted message and stack trace. */
    String text(LogRecord r) {
        StringBuilder sb = new StringBuilder(formatter.formatMessage(r));
        if (r.getThrown() != null) {
            StringWriter sw = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(sw));
            sb.append('\n').append(sw);
        }
        return sb.toString();
    }

    List<String> messages(Level level, Predicate<String> filter) {
        return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage)
                .filter(filter).toList();
    }

    /** Lines that contain one of {@code secrets} or something shaped like a JWT access token. */
    List<String> leaks(String... secrets) {
        return records.stream().map(this::text)
                .filter(t -> JWT.matcher(t).find() || List.of(secrets).stream().anyMatch(t::contains)).toList();
    }
}
