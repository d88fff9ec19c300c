package org.imapra.standin;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.logging.Logger;

/** Writes the token endpoint's JSON responses with Entra's headers. */
final class EntraResponses {
    private static final Logger LOG = Logger.getLogger(EntraTokenEndpoint.class.getName());

    private EntraResponses() {
    }

    static void sendError(HttpExchange exchange, EntraError error, String correlationId) throws IOException {
        String traceId = UUID.randomUUID().toString();
        LOG.fine(() -> exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " -> "
                + error.httpStatus() + " AADSTS" + error.code());
        if (error.httpStatus() == 429 || error.httpStatus() == 503) {
            exchange.getResponseHeaders().add("Retry-After", "1");
        }
        exchange.getResponseHeaders().add("x-ms-request-id", traceId);
        send(exchange, error.httpStatus(), error.toJson(traceId, correlationId, Instant.now()), correlationId);
    }

    static void send(HttpExchange exchange, int status, String json, String correlationId) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().add("Cache-Control", "no-store, no-cache");
        exchange.getResponseHeaders().add("Pragma", "no-cache");
        exchange.getResponseHeaders().add("client-request-id", correlationId);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A non-JSON answer ({@code text/html}), as a gateway in front of Entra gives; an empty body is sent as none. */
    static void sendPlain(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The request's {@code client-request-id} if it is a GUID (as MSAL sends), else a new one. */
    static String correlationId(String header) {
        if (header != null) {
            try {
                return UUID.fromString(header.trim()).toString();
            } catch (IllegalArgumentException e) {
                // not a GUID: Entra makes its own
            }
        }
        return UUID.randomUUID().toString();
    }
}
