package org.imapra.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts IMAP commands on the client side, from Angus Mail's protocol trace: Angus writes every line it sends and
 * receives to the java.util.logging logger {@value #LOGGER} at FINEST (for every store created while that level is
 * on, whatever the session's debug flag). A command is a line "TAG NAME ..." sent by the client; each is answered by one
 * tagged "TAG OK|NO|BAD". Angus suspends the trace during AUTHENTICATE, so the login itself is not counted (it is a
 * constant per connection). The trace costs time: counting runs are separate from the timed runs.
 */
final class ProtocolCounter extends Handler implements AutoCloseable {

    static final String LOGGER = "org.eclipse.angus.mail.imap.protocol";
    private static final Pattern TAGGED = Pattern.compile("^([A-Z]+[0-9]+) (UID [A-Z]+|[A-Z]+)\\b");

    private final Logger logger = Logger.getLogger(LOGGER);
    private final Level previousLevel;
    private final boolean previousUseParent;
    private final Map<String, AtomicLong> commands = new ConcurrentHashMap<>();
    private final AtomicLong completions = new AtomicLong();

    private ProtocolCounter() {
        previousLevel = logger.getLevel();
        previousUseParent = logger.getUseParentHandlers();
        setLevel(Level.ALL);
        logger.addHandler(this);
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.FINEST);
    }

    /** Starts counting; affects IMAP connections opened from now on, until {@link #close()}. */
    static ProtocolCounter start() {
        return new ProtocolCounter();
    }

    @Override
    public void publish(LogRecord record) {
        String line = record.getMessage();
        if (line == null || line.length() < 4) {
            return;
        }
        Matcher m = TAGGED.matcher(line);
        if (!m.find()) {
            return;
        }
        String name = m.group(2);
        if (name.equals("OK") || name.equals("NO") || name.equals("BAD")) {
            completions.incrementAndGet();
        } else {
            commands.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
        }
    }

    /** Commands sent, in all. */
    long commands() {
        return commands.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Tagged completions received (one per command; the AUTHENTICATE one is not traced). */
    long completions() {
        return completions.get();
    }

    /** Commands by name, e.g. {FETCH=3, UID FETCH=2, ...}. */
    Map<String, Long> byName() {
        Map<String, Long> out = new TreeMap<>();
        commands.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.setLevel(previousLevel);
        logger.setUseParentHandlers(previousUseParent);
        logger.removeHandler(this);
    }
}
