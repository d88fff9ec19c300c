package org.imapra.admin;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.logging.Logger;
import org.imapra.api.admin.AuthorizationStart;
import org.imapra.api.admin.DefinitionException;
import org.imapra.api.admin.DefinitionException.Reason;
import org.imapra.auth.MsalTokenSource;
import org.imapra.auth.TokenException;
import org.imapra.config.DefinitionTokens;
import org.imapra.config.MailboxDefinition;
import org.imapra.core.PendingSignIns;

/**
 * The delegated sign-in's steps with Entra ID (authorization code + PKCE): the authorize URL with a one-use state,
 * taking that state back, redeeming the code, and checking that the mailbox itself signed in. Saving the result is the
 * admin object's business.
 */
final class SignInFlow {

    private static final Logger LOG = Logger.getLogger(SignInFlow.class.getName());

    private final PendingSignIns pending;
    private final Clock clock;

    SignInFlow(PendingSignIns pending, Clock clock) {
        this.pending = pending;
        this.clock = clock;
    }

    /** The authorize URL for the DELEGATED definition {@code d}, with a new state and PKCE challenge. */
    AuthorizationStart start(String name, MailboxDefinition d, String redirectUri, String actor)
            throws DefinitionException {
        URI uri;
        try {
            uri = redirectUri == null ? null : new URI(redirectUri);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !uri.isAbsolute() || uri.getFragment() != null
                || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
            throw new DefinitionException(Reason.SIGN_IN, "The redirect URI '" + redirectUri + "' is not an absolute "
                    + "http(s) URL without fragment");
        }
        String verifier = PendingSignIns.random(48);
        String state = pending.add(name, verifier, redirectUri, actor, clock.instant());
        try {
            String url = new MsalTokenSource(clock).authorizationUrl(DefinitionTokens.of(d), redirectUri, state,
                    PendingSignIns.challenge(verifier), d.userName());
            LOG.info(() -> "Delegated sign-in for '" + name + "' (" + d.userName() + ") started by " + actor);
            return new AuthorizationStart(url, state, clock.instant().plus(PendingSignIns.LIFETIME));
        } catch (TokenException e) {
            pending.take(state, clock.instant());
            throw new DefinitionException(Reason.SIGN_IN, "The sign-in cannot start: " + e.getMessage(), null, e);
        }
    }

    /** The sign-in started for {@code name} with {@code state}; each state is taken once. */
    PendingSignIns.Pending take(String name, String state) throws DefinitionException {
        PendingSignIns.Pending p = pending.take(state, clock.instant())
                .orElseThrow(() -> new DefinitionException(Reason.SIGN_IN, "This sign-in is unknown, was already "
                        + "completed or has expired (state refused): start again with Connect mailbox"));
        if (!p.name().equals(name)) {
            throw new DefinitionException(Reason.SIGN_IN, "This sign-in was started for another definition (state "
                    + "refused): start again with Connect mailbox");
        }
        return p;
    }

    /** Redeems the code; refused unless the account that signed in is the definition's mailbox. */
    MsalTokenSource.SignInResult redeem(String name, MailboxDefinition d, PendingSignIns.Pending p, String code)
            throws DefinitionException {
        if (code == null || code.isBlank()) {
            throw new DefinitionException(Reason.SIGN_IN, "No authorization code came back: start again");
        }
        MsalTokenSource.SignInResult r;
        try {
            r = new MsalTokenSource(clock).redeem(DefinitionTokens.of(d), code, p.verifier(), p.redirectUri());
        } catch (TokenException e) {
            throw new DefinitionException(Reason.SIGN_IN, "The sign-in could not be completed: " + e.getMessage(),
                    null, e);
        }
        if (r.username() == null || !r.username().strip().equalsIgnoreCase(d.userName())) {
            LOG.warning(() -> "Delegated sign-in for '" + name + "' refused: signed in as " + r.username()
                    + ", the mailbox is " + d.userName());
            throw new DefinitionException(Reason.SIGN_IN, "Signed in as " + r.username() + ", but the mailbox of '"
                    + name + "' is " + d.userName() + ": nothing was saved. Sign in as " + d.userName() + " (a token "
                    + "of another account cannot open this mailbox: Exchange answers \"User is authenticated but not "
                    + "connected\"). Sign out of Microsoft or use a private window, then Connect mailbox again.");
        }
        return r;
    }
}
