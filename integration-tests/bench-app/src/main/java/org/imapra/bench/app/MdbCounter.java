package org.imapra.bench.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link BenchMailListener} received: {@code GET /mdb} answers {@code delivered}, {@code bytes} and
 * {@code failures} lines (optionally once a number was delivered); {@code POST /mdb} sets them to zero.
 */
@WebServlet("/mdb")
public class MdbCounter extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final AtomicLong DELIVERED = new AtomicLong();
    private static final AtomicLong BYTES = new AtomicLong();
    private static final AtomicLong FAILURES = new AtomicLong();

    private static final Object ARRIVED = new Object();
    /**
     * The count a long poll waits for: a delivery wakes it only once that is reached. Waking it for every message
     * (as before) cost the MDB a context switch and a contended monitor per message on the 2 cores it shares with
     * Dovecot and the harness: a fifth of its delivery time in a wall-clock profile of the Micro JVM.
     */
    private static volatile long awaited = Long.MAX_VALUE;

    static void delivered(long bytes) {
        BYTES.addAndGet(bytes);
        if (DELIVERED.incrementAndGet() >= awaited) {
            synchronized (ARRIVED) {
                ARRIVED.notifyAll();
            }
        }
    }

    static void failed() {
        FAILURES.incrementAndGet();
    }

    /**
     * {@code ?await=N&timeoutMillis=T}: answers once N messages were delivered, or after T ms (a long poll: the
     * harness does not load the server with polling while it measures).
     */
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String await = req.getParameter("await");
        if (await != null) {
            long n = Long.parseLong(await);
            long end = System.currentTimeMillis() + Long.parseLong(req.getParameter("timeoutMillis"));
            awaited = n; // before the count is read below: a delivery reaching n after that wakes this wait
            synchronized (ARRIVED) {
                for (long left = end - System.currentTimeMillis(); DELIVERED.get() < n && left > 0;
                        left = end - System.currentTimeMillis()) {
                    try {
                        ARRIVED.wait(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            awaited = Long.MAX_VALUE;
        }
        resp.setContentType("text/plain");
        PrintWriter w = resp.getWriter();
        w.println("delivered=" + DELIVERED.get());
        w.println("bytes=" + BYTES.get());
        w.println("failures=" + FAILURES.get());
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        DELIVERED.set(0);
        BYTES.set(0);
        FAILURES.set(0);
        doGet(req, resp);
    }
}
