package org.imapra.standin;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** What the token endpoint received, credentials redacted; thread-safe. */
final class RequestLog {
    private static final Set<String> SECRET_FIELDS = Set.of("client_secret", "client_assertion", "code", "code_verifier",
            "refresh_token");
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();

    void record(HttpExchange exchange, String method, String path, Map<String, String> form) {
        Map<String, String> redacted = new LinkedHashMap<>(form);
        redacted.replaceAll((k, v) -> SECRET_FIELDS.contains(k) ? RecordedRequest.REDACTED : v);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                name.equalsIgnoreCase("Authorization") ? List.of(RecordedRequest.REDACTED) : List.copyOf(values)));
        RecordedRequest request = new RecordedRequest(method, path, exchange.getRequestURI().getRawQuery(), redacted,
                headers, Instant.now());
        requests.add(request);
        if (request.isTokenRequest()) {
            tokenRequests.incrementAndGet();
        }
    }

    List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    int tokenRequestCount() {
        return tokenRequests.get();
    }

    void clear() {
        requests.clear();
        tokenRequests.set(0);
    }

    /** Decodes an {@code application/x-www-form-urlencoded} body; the first value of a name wins. */
    static Map<String, String> parseForm(byte[] body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.putIfAbsent(name, value);
        }
        return form;
    }
}
