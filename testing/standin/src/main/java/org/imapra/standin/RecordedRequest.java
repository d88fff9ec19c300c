package org.imapra.standin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A request the token endpoint received, with credentials redacted: the form values of {@code client_secret} and
 * {@code client_assertion} and the {@code Authorization} header read {@value #REDACTED}.
 *
 * @param method     HTTP method
 * @param path       raw path, e.g. {@code /contoso.example/oauth2/v2.0/token}
 * @param query      raw query or {@code null}
 * @param form       decoded form parameters (empty if the body was not form-encoded)
 * @param headers    request headers, names in lower case
 * @param receivedAt when it arrived
 */
public record RecordedRequest(String method, String path, String query, Map<String, String> form,
                              Map<String, List<String>> headers, Instant receivedAt) {
    public static final String REDACTED = "***";

    public RecordedRequest {
        form = Map.copyOf(form);
        headers = Map.copyOf(headers);
    }

    /** First value of a header (name case-insensitive) or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public boolean isTokenRequest() {
        return "POST".equals(method) && path.endsWith("/oauth2/v2.0/token");
    }
}
