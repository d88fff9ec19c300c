package org.imapra.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A local Entra ID v2.0 token endpoint over HTTPS on 127.0.0.1 (ephemeral port; {@link #baseUrl()} is
 * {@code https://localhost:PORT}, the authority host for clients). Routes:
 * {@code POST /{tenant}/oauth2/v2.0/token} (client credentials with secret or certificate assertion; authorization
 * code with PKCE and rotating refresh tokens, see {@link DelegatedGrants}), {@code GET /{tenant}/oauth2/v2.0/authorize},
 * {@code GET /{tenant}/v2.0/.well-known/openid-configuration} and {@code GET /{tenant}/discovery/v2.0/keys}.
 * Errors use Entra's JSON shape and AADSTS codes. Every request is recorded with credentials redacted.
 */
public final class EntraTokenEndpoint implements AutoCloseable {
    public static final long DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;
    private static final Logger LOG = Logger.getLogger(EntraTokenEndpoint.class.getName());

    private final EntraDirectory directory;
    private final TokenIssuer issuer = new TokenIssuer();
    private final HttpsServer server;
    private final ExecutorService executor;
    private final String baseUrl;
    private final ClientCredentialsGrant grant;
    private final DelegatedGrants delegated;
    private final RequestLog log = new RequestLog();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 503;
    private volatile String failureBody;
    private volatile long delayMillis;
    private volatile java.util.concurrent.CountDownLatch held;
    private volatile long tokenLifetimeSeconds;

    private EntraTokenEndpoint(LocalCertificates certificates, EntraDirectory directory, long lifetime)
            throws IOException {
        this.directory = directory;
        this.tokenLifetimeSeconds = lifetime;
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(certificates.serverContext()));
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "entra-stand-in");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        baseUrl = "https://localhost:" + server.getAddress().getPort();
        delegated = new DelegatedGrants(directory, issuer, baseUrl);
        grant = new ClientCredentialsGrant(directory, issuer, baseUrl, delegated);
        LOG.fine(() -> "Entra stand-in listening on " + baseUrl);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code https://localhost:PORT}: the authority host (an authority is {@code baseUrl() + "/" + tenant}). */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code https://localhost:PORT/{tenant}/oauth2/v2.0/token}. */
    public String tokenEndpoint(String tenant) {
        return baseUrl + "/" + tenant + "/oauth2/v2.0/token";
    }

    /** The tenants and apps; may be changed while running. */
    /** The signing side: its key ({@link TokenIssuer#publicKey()}, {@link TokenIssuer#keyId()}) and {@code sign}. */
    TokenIssuer issuer() {
        return issuer;
    }

    public EntraDirectory directory() {
        return directory;
    }

    public long tokenLifetimeSeconds() {
        return tokenLifetimeSeconds;
    }

    /** Lifetime of tokens issued from now on ({@code expires_in}); small values such as 2 work. */
    public void tokenLifetimeSeconds(long seconds) {
        this.tokenLifetimeSeconds = seconds;
    }

    /** Checks signature, {@code aud} and {@code exp}/{@code nbf} with zero leeway. */
    public Optional<TokenClaims> validate(String accessToken) {
        return accessToken == null ? Optional.empty() : issuer.validate(accessToken, Instant.now());
    }

    /** All requests since start or {@link #reset()}, oldest first. */
    public List<RecordedRequest> requests() {
        return log.requests();
    }

    /** Number of {@code POST .../oauth2/v2.0/token} requests since start or {@link #reset()}. */
    public int tokenRequestCount() {
        return log.tokenRequestCount();
    }

    /** Clears recorded requests, counters and fault knobs (not the directory or token lifetime). */
    public void reset() {
        log.clear();
        failuresLeft.set(0);
        delayMillis = 0;
        release();
    }

    /** Every request from now on waits until {@link #release}: a caller that needs a token cannot return before. */
    public void hold() {
        if (held == null) {
            held = new java.util.concurrent.CountDownLatch(1);
        }
    }

    /** Lets the held requests (and all later ones) through. */
    public void release() {
        java.util.concurrent.CountDownLatch h = held;
        held = null;
        if (h != null) {
            h.countDown();
        }
    }

    /** The next {@code count} token requests fail with {@code httpStatus} (e.g. 500, 503) and an Entra-like body. */
    public void failNext(int count, int httpStatus) {
        failNext(count, httpStatus, null);
    }

    /**
     * The next {@code count} token requests fail with {@code httpStatus} and, instead of Entra's JSON, the
     * {@code text/html} body {@code plainBody} (empty: no body), as a gateway in front of Entra answers.
     */
    public void failNext(int count, int httpStatus, String plainBody) {
        this.failureStatus = httpStatus;
        this.failureBody = plainBody;
        failuresLeft.set(count);
    }

    /** {@code https://localhost:PORT/{tenant}/oauth2/v2.0/authorize}. */
    public String authorizeEndpoint(String tenant) {
        return baseUrl + "/" + tenant + "/oauth2/v2.0/authorize";
    }

    /**
     * Who consents at the authorize endpoint from now on, whatever {@code login_hint} says (to test a sign-in with
     * the wrong account); null restores "the user named by login_hint".
     */
    public void consentingUser(String upn) {
        delegated.consentingUser(upn);
    }

    /** The user's refresh tokens fail from now on with AADSTS700082 / invalid_grant, until the user signs in again. */
    public void revokeRefreshTokens(String upn) {
        delegated.revokeRefreshTokens(upn);
    }

    /** Refresh tokens issued and not yet rotated or revoked. */
    public int liveRefreshTokenCount() {
        return delegated.liveRefreshTokens();
    }

    /** Delay every response by this many milliseconds (0 = none). */
    public void delayMillis(long millis) {
        this.delayMillis = millis;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            Map<String, String> form = type != null && type.toLowerCase(Locale.ROOT)
                    .startsWith("application/x-www-form-urlencoded") ? RequestLog.parseForm(body) : Map.of();
            log.record(exchange, method, path, form);
            long delay = delayMillis;
            if (delay > 0) {
                Thread.sleep(delay);
            }
            java.util.concurrent.CountDownLatch h = held;
            if (h != null) {
                h.await();
            }
            String correlationId = EntraResponses.correlationId(exchange.getRequestHeaders().getFirst("client-request-id"));
            String[] seg = path.split("/");
            if (seg.length == 5 && seg[2].equals("oauth2") && seg[3].equals("v2.0") && seg[4].equals("token")) {
                if (!method.equals("POST")) {
                    EntraResponses.sendError(exchange, EntraError.postOnly(method), correlationId);
                    return;
                }
                if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    String plain = failureBody;
                    if (plain != null) {
                        EntraResponses.sendPlain(exchange, failureStatus, plain);
                    } else {
                        EntraResponses.sendError(exchange, EntraError.serverError(failureStatus), correlationId);
                    }
                    return;
                }
                ClientCredentialsGrant.Result result = grant.process(seg[1], form,
                        exchange.getRequestHeaders().getFirst("Authorization"), tokenLifetimeSeconds, Instant.now());
                if (result.error() != null) {
                    EntraResponses.sendError(exchange, result.error(), correlationId);
                } else {
                    EntraResponses.send(exchange, 200, result.json(), correlationId);
                }
            } else if (seg.length == 5 && seg[2].equals("oauth2") && seg[3].equals("v2.0")
                    && seg[4].equals("authorize") && method.equals("GET")) {
                String query = exchange.getRequestURI().getRawQuery();
                DelegatedGrants.AuthorizeResult r = delegated.authorize(seg[1],
                        RequestLog.parseForm(query == null ? new byte[0] : query.getBytes(
                                java.nio.charset.StandardCharsets.US_ASCII)), Instant.now());
                exchange.getResponseHeaders().add("Cache-Control", "no-store, no-cache");
                if (r.location() != null) {
                    exchange.getResponseHeaders().add("Location", r.location());
                    exchange.sendResponseHeaders(302, -1);
                } else {
                    byte[] html = r.html().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                    exchange.sendResponseHeaders(r.status(), html.length);
                    exchange.getResponseBody().write(html);
                }
            } else if (seg.length == 5 && seg[2].equals("v2.0") && seg[3].equals(".well-known")
                    && seg[4].equals("openid-configuration") && method.equals("GET")) {
                metadata(exchange, seg[1], correlationId, false);
            } else if (seg.length == 5 && seg[2].equals("discovery") && seg[3].equals("v2.0") && seg[4].equals("keys")
                    && method.equals("GET")) {
                metadata(exchange, seg[1], correlationId, true);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "Entra stand-in request failed", e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Entra stand-in request failed unexpectedly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void metadata(HttpExchange exchange, String segment, String correlationId, boolean keys)
            throws IOException {
        String lower = segment.toLowerCase(Locale.ROOT);
        boolean multi = lower.equals("common") || lower.equals("organizations") || lower.equals("consumers");
        Optional<EntraTenant> tenant = multi ? Optional.empty() : directory.resolveTenant(segment);
        if (!multi && tenant.isEmpty()) {
            EntraResponses.sendError(exchange, EntraError.tenantNotFound(segment), correlationId);
            return;
        }
        String tenantId = tenant.map(EntraTenant::id).orElse(null);
        String json = keys
                ? issuer.jwks(baseUrl + "/" + (tenantId != null ? tenantId : "{tenantid}") + "/v2.0")
                : OpenIdMetadata.document(baseUrl, tenantId, lower);
        EntraResponses.send(exchange, 200, json, correlationId);
    }

    /** Configures and starts an {@link EntraTokenEndpoint}. */
    public static final class Builder {
        private LocalCertificates certificates;
        private final EntraDirectory directory = new EntraDirectory();
        private final List<AppRegistration> apps = new ArrayList<>();
        private long lifetime = DEFAULT_TOKEN_LIFETIME_SECONDS;

        /** The TLS certificates to serve with (default {@link LocalCertificates#jvm()}). */
        public Builder certificates(LocalCertificates certs) {
            this.certificates = certs;
            return this;
        }

        public Builder tenant(String id, String... domains) {
            directory.tenant(id, domains);
            return this;
        }

        public Builder app(AppRegistration app) {
            apps.add(app);
            return this;
        }

        /** A user who can sign in (delegated); the UPN is the mailbox address. */
        public Builder user(String upn) {
            directory.user(upn);
            return this;
        }

        public Builder tokenLifetimeSeconds(long seconds) {
            this.lifetime = seconds;
            return this;
        }

        public EntraTokenEndpoint start() {
            apps.forEach(directory::app);
            try {
                return new EntraTokenEndpoint(certificates != null ? certificates : LocalCertificates.jvm(),
                        directory, lifetime);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot start the Entra stand-in", e);
            }
        }
    }
}
