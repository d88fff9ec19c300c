package org.imapra.console.health;

import java.util.List;
import java.util.Locale;

/**
 * A small SVG bar chart of deliveries (green, up) and failed attempts (red, down) per minute over the last hour,
 * drawn on the server: no script, no external resource (the console's Content-Security-Policy allows neither).
 */
final class Chart {

    static final int WIDTH = 180;
    static final int HEIGHT = 36;

    private Chart() {
    }

    /**
     * @param deliveries per minute, oldest first (60 values)
     * @param failures   the same for failed attempts
     */
    static String svg(List<Long> deliveries, List<Long> failures) {
        long max = 1;
        long total = 0;
        long failed = 0;
        for (int i = 0; i < deliveries.size(); i++) {
            max = Math.max(max, Math.max(deliveries.get(i), failures.get(i)));
            total += deliveries.get(i);
            failed += failures.get(i);
        }
        int mid = HEIGHT / 2;
        double w = (double) WIDTH / deliveries.size();
        StringBuilder sb = new StringBuilder(2048);
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" data-deliveries=\"").append(total)
                .append("\" data-failures=\"").append(failed).append("\"><title>Last hour: ").append(total)
                .append(" delivered, ").append(failed).append(" failed attempts</title>")
                .append("<line x1=\"0\" y1=\"").append(mid).append("\" x2=\"").append(WIDTH).append("\" y2=\"")
                .append(mid).append("\" stroke=\"#c8c8c8\" stroke-width=\"1\"/>");
        for (int i = 0; i < deliveries.size(); i++) {
            bar(sb, i * w, w, deliveries.get(i), max, mid, true);
            bar(sb, i * w, w, failures.get(i), max, mid, false);
        }
        return sb.append("</svg>").toString();
    }

    private static void bar(StringBuilder sb, double x, double w, long n, long max, int mid, boolean up) {
        if (n <= 0) {
            return;
        }
        double h = Math.max(1, (mid - 1) * (double) n / max);
        sb.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        + "fill=\"%s\"/>", up ? "delivered" : "failed", x, up ? mid - h : mid + 0.0, Math.max(1, w - 0.5),
                h, up ? "#2e7d32" : "#c62828"));
    }
}
