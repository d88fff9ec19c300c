package org.imapra.standin;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Exchange's side of app-only IMAP: which app may open which mailbox (like {@code Add-MailboxPermission}), and the
 * XOAUTH2 decision: a token the endpoint issued and still valid, with role {@code IMAP.AccessAsApp}, whose
 * {@code appid} was granted the mailbox.
 */
final class MailboxPermissions implements XoauthImapHandler.Authorizer {
    private static final Logger LOG = Logger.getLogger(MailboxPermissions.class.getName());
    private final Function<String, Optional<TokenClaims>> validator;
    private final Map<String, Set<String>> grants = new ConcurrentHashMap<>();

    MailboxPermissions(Function<String, Optional<TokenClaims>> validator) {
        this.validator = validator;
    }

    void grant(String clientId, String mailbox) {
        grants.computeIfAbsent(key(clientId), k -> ConcurrentHashMap.newKeySet()).add(key(mailbox));
    }

    void revoke(String clientId, String mailbox) {
        Set<String> mailboxes = grants.get(key(clientId));
        if (mailboxes != null) {
            mailboxes.remove(key(mailbox));
        }
    }

    boolean isGranted(String clientId, String mailbox) {
        return clientId != null && grants.getOrDefault(key(clientId), Set.of()).contains(key(mailbox));
    }

    @Override
    public Optional<TokenClaims> authorize(String mailbox, String accessToken) {
        Optional<TokenClaims> claims = validator.apply(accessToken);
        if (claims.isEmpty()) {
            LOG.fine(() -> "XOAUTH2 refused for " + mailbox + ": token not issued here, forged or expired");
            return Optional.empty();
        }
        TokenClaims c = claims.get();
        if (c.upn() != null) {
            // delegated: the signed-in user's own mailbox only (Exchange: "User is authenticated but not connected")
            if (c.hasScope(DelegatedGrants.IMAP_ACCESS_AS_USER) && c.upn().equalsIgnoreCase(mailbox.trim())) {
                LOG.fine(() -> "XOAUTH2 accepted for " + mailbox + " (delegated, user " + c.upn() + ")");
                return claims;
            }
            LOG.fine(() -> "XOAUTH2 refused for " + mailbox + ": delegated token of " + c.upn()
                    + " (scp " + c.scope() + ")");
            return Optional.empty();
        }
        if (!c.hasRole(AppRegistration.IMAP_ACCESS_AS_APP)) {
            LOG.fine(() -> "XOAUTH2 refused for " + mailbox + ": app " + c.appId() + " lacks role "
                    + AppRegistration.IMAP_ACCESS_AS_APP);
            return Optional.empty();
        }
        if (!isGranted(c.appId(), mailbox)) {
            LOG.fine(() -> "XOAUTH2 refused for " + mailbox + ": no mailbox permission for app " + c.appId());
            return Optional.empty();
        }
        LOG.fine(() -> "XOAUTH2 accepted for " + mailbox + " (app " + c.appId() + ")");
        return claims;
    }

    private static String key(String s) {
        return s.trim().toLowerCase(Locale.ROOT);
    }
}
