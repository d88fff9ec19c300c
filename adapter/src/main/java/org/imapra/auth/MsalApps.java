package org.imapra.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The MSAL applications in use, one per slot (where the credential goes: authority, client, certificate path or
 * "a secret", proxy, timeouts and, for delegated access, the sign-in). An application is rebuilt when its credential
 * changes: another secret, another certificate password, or other content in the certificate file (a certificate
 * rotated in place at the same path). The replaced application is dropped at once, and at most {@code max}
 * applications are kept (the least recently used goes first), so neither stale certificates nor old secrets stay.
 *
 * <p>The certificate file is read for every token request (once per token lifetime: {@link TokenCache} is in front),
 * so a rotation is seen by the next request. Two definitions of one app with different secrets share a slot: each
 * rebuilds the (cheap, offline) application when the other used it last.
 *
 * @param <A> what is kept per slot
 */
final class MsalApps<A> {

    static final int DEFAULT_MAX = 256;

    /** Builds the application for a request from the certificate file's content (null for a secret). */
    @FunctionalInterface
    interface Factory<A> {
        A build(byte[] certificate) throws TokenException;
    }

    private record Slot(String authority, String clientId, String credential, HttpsProxy proxy, int connectTimeout,
                        int readTimeout, String signIn) {
    }

    private record Versioned<A>(String version, A app) {
    }

    private final Map<Slot, Versioned<A>> apps;

    MsalApps(int max) {
        this.apps = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Slot, Versioned<A>> eldest) {
                return size() > max;
            }
        };
    }

    MsalApps() {
        this(DEFAULT_MAX);
    }

    /** The application for {@code request}, built (or rebuilt, replacing the old one) when its credential changed. */
    A get(TokenRequest request, Factory<A> factory) throws TokenException {
        ClientCredential c = request.credential();
        byte[] certificate = c.isCertificate() ? CertificateLoader.read(request) : null;
        Slot slot = new Slot(request.tenantAuthority(), request.clientId(),
                c.isCertificate() ? "certificate " + c.certificatePath()
                        : c.kind() == ClientCredential.Kind.FEDERATED ? "federated " + c.certificatePath() : "secret",
                request.httpsProxy(),
                request.connectTimeoutMillis(), request.readTimeoutMillis(),
                request.signIn() == null ? null : request.signIn().key());
        String version = certificate == null ? c.fingerprint() : c.fingerprint() + "|" + sha256(certificate);
        synchronized (apps) {
            Versioned<A> known = apps.get(slot);
            if (known != null && known.version().equals(version)) {
                return known.app();
            }
        }
        A app = factory.build(certificate);
        synchronized (apps) {
            apps.put(slot, new Versioned<>(version, app));
        }
        return app;
    }

    /** How many applications are kept. */
    int size() {
        synchronized (apps) {
            return apps.size();
        }
    }

    void clear() {
        synchronized (apps) {
            apps.clear();
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
