package org.imapra.standin;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** IMAP commands the server received, by name ({@code FETCH}, {@code UID FETCH}, {@code IDLE}, ...), all sessions. */
final class CommandCounter {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final List<String> searches = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final FetchBreaker fetchBreaker = new FetchBreaker();
    private final AcknowledgementLog acknowledgements = new AcknowledgementLog();

    /** Records the line of a UID SEARCH command, without its tag. */
    void search(String line) {
        searches.add(line);
    }

    /** The UID SEARCH command lines received (without tags), in order. */
    List<String> searches() {
        return List.copyOf(searches);
    }

    FetchBreaker fetchBreaker() {
        return fetchBreaker;
    }

    AcknowledgementLog acknowledgements() {
        return acknowledgements;
    }

    void count(String name) {
        counts.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    /** The counts so far, by command name in alphabetical order. */
    Map<String, Long> snapshot() {
        Map<String, Long> s = new TreeMap<>();
        counts.forEach((k, v) -> s.put(k, v.sum()));
        return s;
    }

    void reset() {
        counts.clear();
        searches.clear();
    }
}
