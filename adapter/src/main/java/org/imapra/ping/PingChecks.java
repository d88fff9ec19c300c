package org.imapra.ping;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imapra.api.admin.PingStage.Status;
import org.imapra.auth.AadstsHints;
import org.imapra.auth.AccessToken;
import org.imapra.auth.RotatingTokens;
import org.imapra.auth.TokenException;
import org.imapra.auth.TokenRequest;
import org.imapra.auth.TokenSource;
import org.imapra.config.DefinitionTokens;
import org.imapra.config.MailboxDefinition;
import org.imapra.ping.StagedPing.Outcome;

/** The token-side stages of {@link StagedPing}: authority metadata, token request, token claims. */
final class PingChecks {

    private static final Pattern AADSTS = Pattern.compile("AADSTS\\d+");

    private PingChecks() {
    }

    static Outcome<Void> authority(MailboxDefinition d) {
        String url = d.tenantAuthority() + "v2.0/.well-known/openid-configuration";
        try {
            return authority(d, url);
        } catch (IOException e) {
            String hint = AadstsHints.hint(List.of(), null, 0, e);
            return new Outcome<>(null, Status.FAILED, "GET " + url + ": " + describe(e), hint != null ? hint
                    : "Check authorityHost / cloud, httpsProxy and the network path to the authority");
        }
    }

    private static Outcome<Void> authority(MailboxDefinition d, String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection(proxy(d));
        c.setConnectTimeout(d.connectTimeoutMillis());
        c.setReadTimeout(d.readTimeoutMillis());
        try {
            int status = c.getResponseCode();
            InputStream body = status < 400 ? c.getInputStream() : c.getErrorStream();
            String text = body == null ? "" : new String(body.readNBytes(256 * 1024), StandardCharsets.UTF_8);
            if (status == 200) {
                JsonObject o = json(text);
                return new Outcome<>(null, Status.OK, "GET " + url + " → 200; issuer " + o.getString("issuer", "?")
                        + ", token endpoint " + o.getString("token_endpoint", "?"), null);
            }
            List<String> codes = codes(text);
            String description = text.isBlank() ? "" : json(text).getString("error_description", text);
            boolean notFound = status == 400 || status == 404;
            return new Outcome<>(null, Status.FAILED, "GET " + url + " → HTTP " + status + ": "
                    + firstLine(description), AadstsHints.hint(codes.isEmpty() && notFound
                    ? List.of("AADSTS90002") : codes, null, status, null));
        } finally {
            c.disconnect();
        }
    }

    static Outcome<AccessToken> token(MailboxDefinition d, TokenSource tokens,
                                      org.imapra.config.DefinitionStore store, java.time.Clock clock) {
        TokenRequest request = DefinitionTokens.of(d, store);
        try {
            String switched = null;
            AccessToken t;
            try {
                t = tokens.fetch(request);
            } catch (TokenException e) {
                if (request.next() == null || !RotatingTokens.refusesCredential(e)) {
                    throw e;
                }
                String refused = request.credential().property() + " was refused (" + String.join(" ", e.errorCodes())
                        + ")";
                try {
                    t = tokens.fetch(request.next());
                } catch (TokenException n) {
                    throw new TokenException(n.tokenEndpoint(), n.httpStatus(), n.error(), n.errorCodes(), refused
                            + ", and " + request.next().credential().property() + " too: " + n.description(),
                            n.correlationId(), n);
                }
                switched = refused + ": " + request.next().credential().property() + " works and is used";
                request = request.next();
            }
            String details = "POST " + d.tokenEndpoint() + " ("
                    + (d.delegated() ? "refresh_token of the signed-in user" : "client_credentials") + ", scope "
                    + d.scope() + ", " + request.credential().property() + ") → token valid until " + t.expiresAt();
            if (switched != null) {
                return new Outcome<>(t, Status.WARNING, details + "; " + switched, "Make "
                        + request.credential().property() + " the current credential of the definition and remove "
                        + "the refused one from the app registration");
            }
            return CredentialWarnings.expiry(t, details, request, clock);
        } catch (org.imapra.auth.SignInRequiredException e) {
            return new Outcome<>(null, Status.FAILED, "Needs sign-in again: " + e.description()
                    + (e.errorCodes().isEmpty() ? "" : " (" + String.join(" ", e.errorCodes()) + ")"), e.hint());
        } catch (TokenException e) {
            String details = "POST " + e.tokenEndpoint() + (e.httpStatus() > 0 ? " → HTTP " + e.httpStatus() : "")
                    + (e.error() == null ? "" : ", error " + e.error())
                    + (e.errorCodes().isEmpty() || (e.description() != null
                    && e.description().startsWith(e.errorCodes().get(0))) ? "" : ", " + String.join(" ", e.errorCodes()))
                    + (e.description() == null ? "" : ": " + firstLine(e.description()))
                    + (e.correlationId() == null ? "" : " (correlation id " + e.correlationId() + ")");
            return new Outcome<>(null, Status.FAILED, details, e.hint());
        }
    }

    static Outcome<Void> claims(AccessToken token, MailboxDefinition d) {
        String[] parts = token.value().split("\\.");
        if (parts.length != 3) {
            return new Outcome<>(null, Status.WARNING, "the token is not a JWT: its claims cannot be shown", null);
        }
        JsonObject c = json(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        List<String> roles = strings(c.get("roles"));
        String scp = c.getString("scp", null);
        String details = "aud " + c.getString("aud", "?") + ", tid " + c.getString("tid", "?") + ", appid "
                + c.getString("appid", c.getString("azp", "?")) + ", roles " + roles
                + (scp == null ? "" : ", scp " + scp) + ", expires "
                + (c.containsKey("exp") ? Instant.ofEpochSecond(c.getJsonNumber("exp").longValue()) : "?");
        if (d != null && d.delegated()) {
            String user = c.getString("upn", c.getString("preferred_username", c.getString("unique_name", "?")));
            String delegatedDetails = details + ", user " + user;
            if (scp == null || !java.util.Arrays.asList(scp.split(" ")).contains("IMAP.AccessAsUser.All")) {
                return new Outcome<>(null, Status.WARNING, delegatedDetails, "The token lacks the delegated "
                        + "permission IMAP.AccessAsUser.All: add it (Office 365 Exchange Online → Delegated) and "
                        + "connect the mailbox again");
            }
            if (!user.equalsIgnoreCase(d.userName())) {
                return new Outcome<>(null, Status.WARNING, delegatedDetails, "The token is for " + user + ", not for "
                        + d.userName() + ": Exchange answers \"User is authenticated but not connected\"; connect "
                        + "the mailbox again signed in as " + d.userName());
            }
            return new Outcome<>(null, Status.OK, delegatedDetails, null);
        }
        if (!roles.contains("IMAP.AccessAsApp")) {
            return new Outcome<>(null, Status.WARNING, details, "The token lacks the IMAP.AccessAsApp role: add the "
                    + "application permission Office 365 Exchange Online → IMAP.AccessAsApp and grant admin consent");
        }
        return new Outcome<>(null, Status.OK, details, null);
    }

    /** What a failure says, without stack traces; never contains a secret (none is in these messages). */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e ? top : top + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    private static Proxy proxy(MailboxDefinition d) {
        return d.httpsProxy() == null ? Proxy.NO_PROXY : d.httpsProxy().toProxy();
    }

    private static JsonObject json(String text) {
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.readObject();
        } catch (RuntimeException e) {
            return Json.createObjectBuilder().add("error_description", text).build();
        }
    }

    private static List<String> strings(JsonValue v) {
        List<String> out = new ArrayList<>();
        if (v != null && v.getValueType() == JsonValue.ValueType.ARRAY) {
            v.asJsonArray().forEach(x -> out.add(x instanceof JsonString s ? s.getString() : x.toString()));
        }
        return out;
    }

    private static List<String> codes(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = AADSTS.matcher(text);
        while (m.find()) {
            if (!out.contains(m.group())) {
                out.add(m.group());
            }
        }
        return out;
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\r') >= 0 ? s.indexOf('\r') : s.indexOf('\n');
        return nl >= 0 ? s.substring(0, nl) : s;
    }
}
