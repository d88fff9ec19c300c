package org.imapra.sandbox;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The admin console over HTTP, as a browser uses it: FORM sign-in ({@code j_security_check}), then the ping page's
 * "Ping now" button (a Faces POST carrying the view state).
 */
public final class ConsoleClient {

    /** The outcome badge ({@code OK}, {@code WARNING}, {@code FAILED}) and every stage's status, in order. */
    public record Ping(String outcome, Map<String, String> stages, String page) {
    }

    private static final Pattern VIEW_STATE = Pattern.compile(
            "name=\"jakarta\\.faces\\.ViewState\"[^>]*?value=\"([^\"]+)\"");
    private static final Pattern OUTCOME = Pattern.compile("id=\"outcome\">\\s*([A-Z]+)");
    private static final Pattern STAGE = Pattern.compile(
            "data-stage=\"([^\"]+)\".*?class=\"stage-status\"><span class=\"badge [^\"]*\">([A-Z]+)", Pattern.DOTALL);

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** @param base the console's URL, ending with {@code /} */
    public ConsoleClient(String base) {
        this.base = base;
    }

    /** Signs in; returns the HTTP status of the sign-in POST (302 back to the console when it worked). */
    public int signIn(String user, String password) throws Exception {
        get(""); // the session the sign-in belongs to
        HttpResponse<String> r = post("j_security_check", Map.of("j_username", user, "j_password", password));
        return r.statusCode();
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens {@code ping.xhtml?name=...} and presses "Ping now". */
    public Ping ping(String name) throws Exception {
        HttpResponse<String> page = get("ping.xhtml?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        if (page.statusCode() != 200) {
            throw new AssertionError("ping page: HTTP " + page.statusCode() + " " + page.body());
        }
        Matcher vs = VIEW_STATE.matcher(page.body());
        if (!vs.find()) {
            throw new AssertionError("no Faces view state on the ping page (signed in?): " + page.body());
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("pinger", "pinger");
        form.put("pinger:run", "Ping now");
        form.put("pinger_SUBMIT", "1"); // MyFaces (Open Liberty) decodes a form only with this field; Mojarra ignores it
        form.put("jakarta.faces.ViewState", vs.group(1).replace("&#58;", ":"));
        HttpResponse<String> result = post("ping.xhtml", form);
        String body = result.body();
        Matcher o = OUTCOME.matcher(body);
        Map<String, String> stages = new LinkedHashMap<>();
        Matcher s = STAGE.matcher(body);
        while (s.find()) {
            stages.put(s.group(1), s.group(2));
        }
        return new Ping(o.find() ? o.group(1) : "HTTP " + result.statusCode(), stages, body);
    }

    private HttpResponse<String> post(String path, Map<String, String> fields) throws Exception {
        List<String> pairs = new ArrayList<>();
        fields.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(pairs.stream().collect(Collectors.joining("&"))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
