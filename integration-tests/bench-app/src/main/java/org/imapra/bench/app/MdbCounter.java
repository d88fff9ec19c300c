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
 * {@code failures} lines; {@code POST /mdb} sets them to zero.
 */
@WebServlet("/mdb")
public class MdbCounter extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final AtomicLong DELIVERED = new AtomicLong();
    private static final AtomicLong BYTES = new AtomicLong();
    private static final AtomicLong FAILURES = new AtomicLong();

    static void delivered(long bytes) {
        BYTES.addAndGet(bytes);
        DELIVERED.incrementAndGet();
    }

    static void failed() {
        FAILURES.incrementAndGet();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
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
