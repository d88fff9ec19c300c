package org.imapra.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The figures each scenario measures. {@link #record} prints one line {@code RELIABILITY <scenario> k=v ...} and keeps
 * it, under the test that is running, for {@link ReliabilityReport}.
 */
final class Figures {

    /** One scenario's figures. */
    record Line(String testId, String scenario, Map<String, Object> values, String note) {
        String text() {
            StringBuilder sb = new StringBuilder(scenario);
            values.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            return sb.toString();
        }
    }

    static final List<Line> LINES = new CopyOnWriteArrayList<>();
    /** Unique id of the test running now (set by {@link ReliabilityReport}; tests run one at a time). */
    static volatile String currentTest = "";

    private Figures() {
    }

    /**
     * @param note  what the figures mean (one sentence), or null
     * @param pairs key, value, key, value, ...
     */
    static Line record(String scenario, String note, Object... pairs) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            values.put(String.valueOf(pairs[i]), pairs[i + 1]);
        }
        Line line = new Line(currentTest, scenario, values, note);
        LINES.add(line);
        System.out.println("RELIABILITY " + line.text());
        return line;
    }

    static List<Line> of(String testId) {
        List<Line> out = new ArrayList<>();
        for (Line l : LINES) {
            if (l.testId().equals(testId)) {
                out.add(l);
            }
        }
        return out;
    }
}
