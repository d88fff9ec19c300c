package org.imapra.standin;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Exchange Online's IMAP side on 127.0.0.1: GreenMail with IMAPS (the {@link LocalCertificates} server certificate,
 * SASL XOAUTH2 only) and plain SMTP, both on dynamic ports. Mailboxes get a random password nobody knows, and
 * {@code LOGIN} is refused: the only way in is {@code AUTHENTICATE XOAUTH2} with a valid token carrying
 * {@code IMAP.AccessAsApp} from an app granted the mailbox ({@link #grantMailbox}). Failures answer
 * {@code NO AUTHENTICATE failed.}; an expired session gets {@code * BYE Session invalidated - AccessTokenExpired}.
 */
public final class StandInMailServer implements AutoCloseable {
    /** The BYE text Exchange sends when the token of a session has expired. */
    public static final String BYE_ACCESS_TOKEN_EXPIRED = XoauthImapHandler.BYE_TOKEN_EXPIRED;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StandInGreenMail greenMail;
    private final MailboxPermissions permissions;
    private final ScheduledExecutorService sweeper;

    private StandInMailServer(LocalCertificates certificates, Function<String, Optional<TokenClaims>> validator,
                              Duration idleTimeout) {
        permissions = new MailboxPermissions(validator);
        ServerSetup smtp = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        ServerSetup imaps = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS);
        greenMail = new StandInGreenMail(smtp, imaps, (setup, managers) -> new XoauthImapServer(setup, managers,
                certificates.serverContext(), permissions, (int) idleTimeout.toMillis()));
        greenMail.start();
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "imap-stand-in-expiry");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(() -> imaps().handlers().forEach(h -> h.sweep(Instant.now())),
                200, 200, TimeUnit.MILLISECONDS);
    }

    /** Starts with tokens validated by {@code tokens} and an IMAP idle timeout of 30 minutes. */
    public static StandInMailServer start(LocalCertificates certificates, EntraTokenEndpoint tokens) {
        return start(certificates, tokens::validate, Duration.ofMinutes(30));
    }

    /** Starts with any token validator; connections idle longer than {@code idleTimeout} are dropped. */
    public static StandInMailServer start(LocalCertificates certificates,
                                         Function<String, Optional<TokenClaims>> validator, Duration idleTimeout) {
        return new StandInMailServer(certificates, validator, idleTimeout);
    }

    public String host() {
        return "localhost";
    }

    public int imapsPort() {
        return imaps().getPort();
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    /** The underlying GreenMail (users, received messages, SMTP); its {@code getImaps()} is not supported. */
    public GreenMail greenMail() {
        return greenMail;
    }

    /** Creates a mailbox (login = address) with a random, unknown password; returns the existing one if any. */
    public GreenMailUser createMailbox(String address) {
        GreenMailUser existing = greenMail.getUserManager().getUserByEmail(address);
        if (existing != null) {
            return existing;
        }
        byte[] password = new byte[32];
        RANDOM.nextBytes(password);
        return greenMail.setUser(address, address, Base64.getEncoder().encodeToString(password));
    }

    /** Like {@code Add-MailboxPermission ... -AccessRights FullAccess} for the app's service principal. */
    public void grantMailbox(String clientId, String address) {
        permissions.grant(clientId, address);
    }

    public void revokeMailbox(String clientId, String address) {
        permissions.revoke(clientId, address);
    }

    public boolean isGranted(String clientId, String address) {
        return permissions.isGranted(clientId, address);
    }

    /** Puts a plain-text message into the mailbox's INBOX (the mailbox must exist). */
    public void deliver(String to, String subject, String body) {
        deliver(to, StandInMessages.plain(to, subject, body));
    }

    /** Puts {@code message} into the mailbox's INBOX (the mailbox must exist). */
    public void deliver(String to, MimeMessage message) {
        GreenMailUser user = greenMail.getUserManager().getUserByEmail(to);
        if (user == null) {
            throw new IllegalArgumentException("No mailbox " + to);
        }
        user.deliver(message);
    }

    /** Live IMAPS connections (accepted, not yet closed), authenticated or not. */
    public int openSessionCount() {
        return imaps().handlers().size();
    }

    /** Live IMAPS connections that completed {@code AUTHENTICATE}. */
    public int authenticatedSessionCount() {
        return (int) imaps().handlers().stream().filter(XoauthImapHandler::isAuthenticated).count();
    }

    /** Waits until {@link #openSessionCount()} equals {@code expected}; returns whether it did in time. */
    public boolean awaitOpenSessionCount(int expected, Duration timeout) throws InterruptedException {
        return Polling.await(() -> openSessionCount() == expected, timeout);
    }

    /**
     * IMAP commands received so far on every session, by name: {@code FETCH}, {@code UID FETCH}, {@code IDLE}, ...
     * (a UID command under {@code UID} and its name). Counted as each command line arrives, before it is served.
     */
    public java.util.Map<String, Long> commandCounts() {
        return imaps().commands().snapshot();
    }

    /**
     * A server quirk for tests: while on, sessions report {@code * n EXISTS} with the count after the EXPUNGEs they
     * send next (GreenMail's own order), which leaves a client believing the folder holds fewer messages than it does.
     * Off by default: the stand-in reports counts a client can follow ({@link ConsistentSession}).
     */
    public void existsBeforeExpunges(boolean on) {
        imaps().greenMailOrder().set(on);
    }

    /** The {@code UID SEARCH} command lines received on every session (without their tags), in order. */
    public java.util.List<String> uidSearchCommands() {
        return imaps().commands().searches();
    }

    /**
     * A fault for tests: while {@code subject} is set (null: off), any FETCH of the content of a message with that
     * Subject closes the connection without a response, as a session that breaks whenever that message is read.
     */
    public void breakConnectionOnFetchOf(String subject) {
        imaps().commands().fetchBreaker().subject(subject);
    }

    /** How often {@link #breakConnectionOnFetchOf} broke a connection since it was set. */
    public int connectionsBrokenOnFetch() {
        return imaps().commands().fetchBreaker().breaks();
    }

    /**
     * Exchange's throttling for {@code mailbox} during {@code length}: AUTHENTICATE naming it, and every command on
     * its sessions (LOGOUT excepted), get {@code NO Request is throttled. Suggested Backoff Time: N milliseconds}, N
     * being the time left.
     */
    public void throttle(String mailbox, Duration length) {
        imaps().faults().set(mailbox, MailboxFaults.Kind.THROTTLED, length);
    }

    /** AUTHENTICATE naming {@code mailbox}, and commands on its sessions, get {@code NO Server Unavailable. 15}. */
    public void serverUnavailable(String mailbox, Duration length) {
        imaps().faults().set(mailbox, MailboxFaults.Kind.UNAVAILABLE, length);
    }

    /**
     * Until {@link #clearFaults}: AUTHENTICATE for {@code mailbox} answers {@code OK AUTHENTICATE completed.} and every
     * later command of that session gets {@code BAD User is authenticated but not connected.}
     */
    public void authenticatedButNotConnected(String mailbox) {
        imaps().faults().set(mailbox, MailboxFaults.Kind.NOT_CONNECTED, null);
    }

    /** Ends the fault set on {@code mailbox} (sessions already "not connected" stay so). */
    public void clearFaults(String mailbox) {
        imaps().faults().clear(mailbox);
    }

    /** New logins to {@code mailbox} are refused while it has {@code max} authenticated sessions (0: no limit). */
    public void maxConnections(String mailbox, int max) {
        imaps().faults().maxConnections(mailbox, max);
    }

    /** Commands received concerning {@code mailbox}: on its sessions, and AUTHENTICATE naming it. */
    public long commandCount(String mailbox) {
        return imaps().faults().commands(mailbox);
    }

    /** AUTHENTICATE attempts naming {@code mailbox} (refused ones included). */
    public long loginCount(String mailbox) {
        return imaps().faults().logins(mailbox);
    }

    /** Logins refused because {@code mailbox} had its {@link #maxConnections} sessions. */
    public long refusedLoginCount(String mailbox) {
        return imaps().faults().refusedLogins(mailbox);
    }

    /** Authenticated sessions of {@code mailbox} now. */
    public int authenticatedSessionCount(String mailbox) {
        return imaps().faults().authenticated(mailbox);
    }

    /** The most authenticated sessions {@code mailbox} had at once since the start or {@link #resetCommandCounts}. */
    public int peakAuthenticatedSessionCount(String mailbox) {
        return imaps().faults().peakAuthenticated(mailbox);
    }

    /** {@code Request is throttled} replies sent in {@code mailbox}'s current (or last) {@link #throttle} window. */
    public long throttledReplyCount(String mailbox) {
        return imaps().faults().throttledReplies(mailbox);
    }

    /**
     * Commands (LOGOUT included) and logins for {@code mailbox} that arrived in its current (or last) {@link #throttle}
     * window after the first throttled reply: what a client that honours the suggested back-off never sends.
     */
    public long commandsAfterThrottledReply(String mailbox) {
        return imaps().faults().afterThrottledReply(mailbox);
    }

    /** TCP connections accepted while a throttle window (any mailbox) had already been answered. */
    public long connectionsAfterThrottledReply() {
        return imaps().faults().acceptedAfterThrottledReply();
    }

    /** TCP connections accepted since the start or {@link #resetCommandCounts}. */
    public long acceptedConnectionCount() {
        return imaps().faults().acceptedConnections();
    }

    /**
     * Records every acknowledgement received from now on (any earlier record is dropped): STORE of {@code \Seen} or
     * {@code \Deleted}, MOVE, EXPUNGE, with the connection and the process of this machine that sent it (Linux). Off by
     * default: each connection's client process is looked up in /proc once.
     */
    public void recordAcknowledgements() {
        imaps().commands().acknowledgements().start();
    }

    /** The acknowledgements received since {@link #recordAcknowledgements()}, in the order they arrived. */
    public java.util.List<Acknowledgement> acknowledgements() {
        return imaps().commands().acknowledgements().received();
    }

    /** Starts {@link #commandCounts()}, {@link #uidSearchCommands()} and the per-mailbox counts afresh. */
    public void resetCommandCounts() {
        imaps().commands().reset();
        imaps().faults().resetCounts();
    }

    /**
     * Every live authenticated session gets {@code * BYE Session invalidated - AccessTokenExpired} at its next
     * command (at once if it is in IDLE) and is closed: "BYE mid-session".
     */
    public void invalidateAllSessions() {
        imaps().handlers().forEach(XoauthImapHandler::invalidate);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        greenMail.stop();
    }

    private XoauthImapServer imaps() {
        return greenMail.xoauthImaps();
    }
}
