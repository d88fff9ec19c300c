package org.imapra.bench.app;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Times P1 inside the server: {@code POST /checkout} with {@code variant} ({@code pooled} or {@code perCall}),
 * {@code server} ({@code dovecot} or {@code greenmail}), {@code warmupSeconds}, {@code seconds} and, for {@code perCall}, {@code token}. Calls {@link CheckoutProbe} in a loop
 * on the request thread (one caller, like the standalone P1): warm-up first, unrecorded, then every call's time.
 * Answers {@code key=value} lines: {@code ops}, {@code seconds}, {@code meanMicros}, {@code p50Micros},
 * {@code p99Micros}. {@code GET /checkout} does one pooled checkout: the harness' readiness check.
 */
@WebServlet("/checkout")
public class CheckoutServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(CheckoutServlet.class.getName());

    @EJB
    private CheckoutProbe probe;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            int messages = probe.pooled(server(req));
            resp.setContentType("text/plain");
            resp.getWriter().println("ready messages=" + messages);
        } catch (Exception e) {
            fail(resp, "the pooled checkout failed", e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String variant = req.getParameter("variant");
        String token = req.getParameter("token");
        String server = server(req);
        Op op;
        if ("pooled".equals(variant)) {
            op = () -> probe.pooled(server);
        } else if ("perCall".equals(variant) && token != null && !token.isEmpty()) {
            op = () -> probe.connectPerCall(server, token);
        } else {
            resp.sendError(400, "variant=pooled, or variant=perCall with token=...");
            return;
        }
        double warmup;
        double measure;
        try {
            warmup = seconds(req, "warmupSeconds");
            measure = seconds(req, "seconds");
        } catch (IllegalArgumentException e) {
            resp.sendError(400, e.getMessage());
            return;
        }
        try {
            loop(op, warmup, null);
            Samples samples = new Samples();
            long start = System.nanoTime();
            loop(op, measure, samples);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long[] sorted = samples.sorted();
            double mean = Arrays.stream(sorted).average().orElse(Double.NaN) / 1e3;
            resp.setContentType("text/plain");
            PrintWriter w = resp.getWriter();
            w.println("ops=" + sorted.length);
            w.println("seconds=" + format(elapsed));
            w.println("meanMicros=" + format(mean));
            w.println("p50Micros=" + format(percentile(sorted, 0.50) / 1e3));
            w.println("p99Micros=" + format(percentile(sorted, 0.99) / 1e3));
        } catch (Exception e) {
            fail(resp, "variant " + variant + " failed", e);
        }
    }

    @FunctionalInterface
    private interface Op {
        int call() throws Exception;
    }

    /** Calls {@code op} for {@code seconds}, recording each call's nanoseconds in {@code samples} (if given). */
    private static void loop(Op op, double seconds, Samples samples) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long sink = 0;
        for (long t0 = System.nanoTime(); t0 < end; ) {
            sink += op.call();
            long t1 = System.nanoTime();
            if (samples != null) {
                samples.add(t1 - t0);
            }
            t0 = t1;
        }
        if (sink < 0) {
            throw new IllegalStateException("negative message count");
        }
    }

    /** {@code server=greenmail}, else dovecot. */
    private static String server(HttpServletRequest req) {
        return "greenmail".equals(req.getParameter("server")) ? "greenmail" : "dovecot";
    }

    /** Nearest-rank percentile of sorted nanoseconds. */
    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double seconds(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        double s = v == null ? 5 : Double.parseDouble(v);
        if (!(s >= 0 && s <= 600)) {
            throw new IllegalArgumentException(name + " must be 0..600, not " + v);
        }
        return s;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static void fail(HttpServletResponse resp, String what, Exception e) throws IOException {
        LOG.log(Level.WARNING, "P1 in container: " + what, e);
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        resp.setStatus(500);
        resp.setContentType("text/plain");
        resp.getWriter().println(what + ": " + e);
        resp.getWriter().print(trace);
    }

    /** A growing array of nanosecond samples. */
    private static final class Samples {
        private long[] values = new long[1 << 16];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] sorted() {
            long[] s = Arrays.copyOf(values, size);
            Arrays.sort(s);
            return s;
        }
    }
}
