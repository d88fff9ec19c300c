package org.imapra.auth;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Rotation without a gap: tokens from the {@link TokenCache} with the request's credential, and, when Entra refuses
 * it as expired or invalid (AADSTS7000222, 7000215, 700027) and the credential has a {@link ClientCredential#next()
 * next}, with the next one, in the same call: the caller that discovers the refusal gets its token all the same.
 * From then on the next credential is used for that definition (logged once) until the definition changes.
 */
public final class RotatingTokens {

    private static final Logger LOG = Logger.getLogger(RotatingTokens.class.getName());
    /** Entra's answers for a credential that no longer works (expired, deleted, certificate removed). */
    static final Set<String> REFUSED = Set.of("AADSTS7000222", "AADSTS7000215", "AADSTS700027");

    private final TokenCache cache;
    /** Per current+next pair: switched to the next. */
    private final Map<String, Boolean> switched = new ConcurrentHashMap<>();

    public RotatingTokens(TokenCache cache) {
        this.cache = cache;
    }

    /** The cache in front of which this stands. */
    public TokenCache cache() {
        return cache;
    }

    /** A token usable for a new connection, made with the current credential or, once it was refused, the next. */
    public AccessToken get(TokenRequest request) throws TokenException {
        TokenRequest next = request.next();
        if (next == null) {
            return cache.get(request);
        }
        String key = key(request);
        if (switched.containsKey(key)) {
            return cache.get(next);
        }
        try {
            return cache.get(request);
        } catch (TokenException e) {
            if (!refusesCredential(e)) {
                throw e;
            }
            AccessToken token = cache.get(next);
            if (switched.putIfAbsent(key, Boolean.TRUE) == null) {
                LOG.warning("Entra ID refused " + request.credential().property() + " of client "
                        + request.clientId() + " (" + String.join(" ", e.errorCodes()) + "): switched to "
                        + next.credential().property() + ", which works. Make it the current one in the "
                        + "definition and remove the old one from the app registration");
            }
            return token;
        }
    }

    /** The credential in use for {@code request}: its own, or its next after a switch. */
    public ClientCredential inUse(TokenRequest request) {
        return request.next() != null && switched.containsKey(key(request)) ? request.credential().next()
                : request.credential();
    }

    /** Whether {@code e} says that the credential itself is refused (expired or invalid), so the next may work. */
    public static boolean refusesCredential(TokenException e) {
        List<String> codes = e.errorCodes();
        return codes.stream().anyMatch(REFUSED::contains);
    }

    /** Forgets the switches (e.g. after the definitions changed). */
    public void clear() {
        switched.clear();
    }

    private static String key(TokenRequest request) {
        TokenRequest.Key k = request.key();
        return k.authority() + "|" + k.clientId() + "|" + k.credential() + "|"
                + request.credential().next().fingerprint() + "|" + k.signIn();
    }
}
