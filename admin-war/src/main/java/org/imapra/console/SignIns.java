package org.imapra.console;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Delegated sign-ins started in this administrator's session: state → definition name. A state is taken once; one
 * that is not here (forged, from another session, already used) is refused before the adapter is asked. Also the
 * console's fixed redirect URI: context parameter or system property {@value #REDIRECT_URI}, else
 * {@code <console base>/connect-callback}.
 */
final class SignIns {

    static final String REDIRECT_URI = "imapra.redirectUri";
    static final String CALLBACK_PATH = "/connect-callback";
    private static final String SESSION_KEY = "imapra.signIns";
    static final String RESULT_KEY = "imapra.connectResult";
    private static final int MAX_PER_SESSION = 20;

    /** What the callback found, shown once by {@code connect.xhtml}. */
    record Result(String name, boolean ok, String message) implements Serializable {
    }

    private SignIns() {
    }

    static String redirectUri(HttpServletRequest req, ServletContext ctx) {
        String configured = System.getProperty(REDIRECT_URI);
        if (configured == null || configured.isBlank()) {
            configured = ctx.getInitParameter(REDIRECT_URI);
        }
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        int port = req.getServerPort();
        boolean defaultPort = ("http".equals(req.getScheme()) && port == 80)
                || ("https".equals(req.getScheme()) && port == 443);
        return req.getScheme() + "://" + req.getServerName() + (defaultPort ? "" : ":" + port) + req.getContextPath()
                + CALLBACK_PATH;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> map(HttpSession session) {
        synchronized (session) {
            Map<String, String> m = (Map<String, String>) session.getAttribute(SESSION_KEY);
            if (m == null) {
                m = new LinkedHashMap<>();
                session.setAttribute(SESSION_KEY, m);
            }
            return m;
        }
    }

    static void started(HttpSession session, String state, String name) {
        synchronized (session) {
            Map<String, String> m = map(session);
            while (m.size() >= MAX_PER_SESSION) {
                m.remove(m.keySet().iterator().next());
            }
            m.put(state, name);
            session.setAttribute(SESSION_KEY, m);
        }
    }

    /** The definition this session started the sign-in of {@code state} for, removing it; null when unknown. */
    static String take(HttpSession session, String state) {
        if (session == null || state == null) {
            return null;
        }
        synchronized (session) {
            Map<String, String> m = map(session);
            String name = m.remove(state);
            session.setAttribute(SESSION_KEY, m);
            return name;
        }
    }
}
