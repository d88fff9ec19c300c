package org.imapra.console;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Security headers on every response of the console, the sign-in and error pages included: no framing (clickjacking),
 * only the console's own scripts, styles and form targets, no MIME sniffing, no referrer to other sites, and no
 * caching of pages (they show definitions; the style sheet and script may be cached). Over HTTPS, HSTS keeps browsers
 * on HTTPS for a year; with the system property or context parameter {@code imapra.requireHttps=true} a request
 * over plain HTTP is refused (403) before anything is read from it, so secrets are never typed into a page sent in
 * clear.
 */
@WebFilter(filterName = "securityHeaders", urlPatterns = "/*",
        dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ERROR})
public class SecurityHeadersFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private boolean requireHttps() {
        String v = getServletContext().getInitParameter("imapra.requireHttps");
        return Boolean.parseBoolean(v != null ? v : System.getProperty("imapra.requireHttps"));
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (req.isSecure()) {
            res.setHeader("Strict-Transport-Security", "max-age=31536000");
        } else if (req.getDispatcherType() == DispatcherType.REQUEST && requireHttps()) {
            res.sendError(HttpServletResponse.SC_FORBIDDEN, "This console accepts only HTTPS (imapra.requireHttps)");
            return;
        }
        res.setHeader("X-Frame-Options", "DENY");
        res.setHeader("Content-Security-Policy", CSP);
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Referrer-Policy", "same-origin");
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if (!path.startsWith("/static/")) {
            res.setHeader("Cache-Control", "no-store");
            res.setHeader("Pragma", "no-cache");
        }
        chain.doFilter(req, res);
    }
}
