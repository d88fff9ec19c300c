package org.imapra.console.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Plain HTTP to the console (headers, and what a client without a browser gets), with its own cookies. */
final class Http {

    private final URL base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10)).build();

    Http(URL base) {
        this.base = base;
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A form POST ({@code name=value&...}, values URL-encoded here). */
    HttpResponse<String> post(String path, String... nameValues) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < nameValues.length; i += 2) {
            body.append(i == 0 ? "" : "&").append(URLEncoder.encode(nameValues[i], StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(nameValues[i + 1], StandardCharsets.UTF_8));
        }
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Container FORM sign-in: a protected page first (so the container remembers it), then j_security_check. */
    HttpResponse<String> signIn(String user, String password) throws Exception {
        get("index.xhtml");
        return post("j_security_check", "j_username", user, "j_password", password);
    }

    /** Framing forbidden, CSP, no sniffing; {@code no-store} on pages (not on the style sheet). */
    static void assertSecurityHeaders(HttpResponse<?> r, boolean page) {
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), r.uri().toString());
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals(page, r.headers().allValues("Cache-Control").contains("no-store"), r.uri().toString());
    }
}
