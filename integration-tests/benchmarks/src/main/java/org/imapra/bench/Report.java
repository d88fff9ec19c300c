package org.imapra.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Markdown report: one summary table (a row per figure) and a section per measure. */
final class Report {

    /** One line of the summary table. */
    record Row(String measure, String figure, String imapra, String peers, String ratio) {
    }

    /** One goal of issue 13: the figure, whether it is met, and (when not) why. */
    record Goal(String goal, String server, String figure, boolean met, String why) {
    }

    private final List<Row> summary = new ArrayList<>();
    private final List<Goal> goals = new ArrayList<>();

    synchronized void goal(String goal, String server, String figure, boolean met, String why) {
        goals.add(new Goal(goal, server, figure, met, why));
    }

    /** The goals' table and, for each missed one, why; empty when no goal was measured. */
    synchronized String goalsSection() {
        if (goals.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("## Goals\n\n| goal | server | measured | met |\n|---|---|---|---|\n");
        for (Goal g : goals) {
            b.append("| ").append(g.goal()).append(" | ").append(g.server()).append(" | ").append(g.figure())
                    .append(" | ").append(g.met() ? "yes" : "**no**").append(" |\n");
        }
        StringBuilder why = new StringBuilder();
        for (Goal g : goals) {
            if (!g.met() && !g.why().isEmpty()) {
                why.append("- **").append(g.goal()).append("** (").append(g.server()).append("): ").append(g.why())
                        .append('\n');
            }
        }
        if (why.length() > 0) {
            b.append("\nWhere imapra is below its goal, and why:\n\n").append(why);
        }
        return b.append('\n').toString();
    }
    private final StringBuilder sections = new StringBuilder();

    synchronized void row(String measure, String figure, String imapra, String peers, String ratio) {
        summary.add(new Row(measure, figure, imapra, peers, ratio));
    }

    synchronized void section(String markdown) {
        sections.append(markdown.strip()).append("\n\n");
    }

    synchronized String summaryTable() {
        StringBuilder b = new StringBuilder();
        b.append("| measure | figure | imapra | hand-written peers | ratio |\n");
        b.append("|---|---|---|---|---|\n");
        for (Row r : summary) {
            b.append("| ").append(r.measure()).append(" | ").append(r.figure()).append(" | ").append(r.imapra())
                    .append(" | ").append(r.peers()).append(" | ").append(r.ratio()).append(" |\n");
        }
        return b.toString();
    }

    synchronized String sections() {
        return sections.toString();
    }

    /** A Markdown table. */
    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder b = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> b.append("---|"));
        b.append('\n');
        for (List<String> r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return b.toString();
    }

    static String f0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%,.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    /** A ratio like "12.3×". */
    static String x(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "—";
        }
        return String.format(Locale.ROOT, v >= 10 ? "%,.0f×" : "%.2f×", v);
    }

    /** Microseconds as "80 µs", or "1.2 ms" from a millisecond on. */
    static String us(double micros) {
        return micros >= 1000 ? f1(micros / 1000) + " ms" : f0(micros) + " µs";
    }

    /** Milliseconds from nanoseconds, 1 decimal. */
    static String ms(double nanos) {
        return f1(nanos / 1e6) + " ms";
    }
}
