package org.imapra.standin;

import com.icegreen.greenmail.imap.ImapHandler;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.imap.ImapRequestHandler;
import com.icegreen.greenmail.imap.ImapSession;
import com.icegreen.greenmail.imap.ImapSessionImpl;
import com.icegreen.greenmail.imap.ImapSessionState;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserManager;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One IMAPS connection, Exchange Online style. It reads each command's tag and name itself: {@code AUTHENTICATE
 * XOAUTH2} and {@code OAUTHBEARER} are handled here (and CAPABILITY announces both) (the token must pass the {@link Authorizer} for the {@code user=} mailbox, else
 * {@code NO AUTHENTICATE failed.}), {@code LOGIN} always fails, everything else goes to GreenMail's command
 * processing, except IDLE ({@link StandInIdle}). When the session's token has expired, or after {@link #invalidate()}, the next command gets
 * {@code * BYE Session invalidated - AccessTokenExpired} and the connection closes; a session in IDLE gets it at once.
 */
final class XoauthImapHandler extends ImapHandler {
    static final String BYE_TOKEN_EXPIRED = "Session invalidated - AccessTokenExpired";
    private static final Logger LOG = Logger.getLogger(XoauthImapHandler.class.getName());
    private static final int MAX_LINE = 64 * 1024;

    /** Decides whether an access token may open a mailbox; returns the token's claims if so. */
    interface Authorizer {
        Optional<TokenClaims> authorize(String mailbox, String accessToken);
    }

    private final UserManager users;
    private final ImapHostManager host;
    private final Authorizer authorizer;
    private final Consumer<XoauthImapHandler> onClose;
    private final CommandCounter commands;
    private final BooleanSupplier greenMailOrder;
    private final MailboxFaults faults;
    private volatile String mailbox; // set when AUTHENTICATE succeeded
    private boolean notConnected;
    private final ImapRequestHandler requests = new ImapRequestHandler();
    private final Object ioLock = new Object();
    private OutputStream out;
    private volatile ImapSession session;
    private volatile Instant tokenExpiresAt;
    private boolean idling;
    private boolean byeRequested;
    private boolean byeSent;

    XoauthImapHandler(UserManager users, ImapHostManager host, Socket socket, Authorizer authorizer,
                      Consumer<XoauthImapHandler> onClose, CommandCounter commands,
                      BooleanSupplier greenMailOrder, MailboxFaults faults) {
        super(users, host, socket);
        this.faults = faults;
        this.commands = commands;
        this.greenMailOrder = greenMailOrder;
        this.users = users;
        this.host = host;
        this.authorizer = authorizer;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        try (InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
             OutputStream o = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024)) {
            synchronized (ioLock) {
                out = o;
            }
            writeLine("* OK The Microsoft Exchange IMAP4 service is ready.");
            session = new ConsistentSession(new ImapSessionImpl(host, users, this,
                    socket.getInetAddress().getHostAddress()), greenMailOrder);
            while (!isQuitting() && serveCommand(in)) {
                // next command
            }
        } catch (Exception e) {
            if (!isQuitting()) {
                LOG.log(Level.FINE, "IMAP connection ended", e);
            }
        } finally {
            close();
            if (mailbox != null) {
                faults.loggedOut(mailbox);
            }
            onClose.accept(this);
        }
    }

    boolean isAuthenticated() {
        ImapSession s = session;
        return s != null && s.getState() != ImapSessionState.NON_AUTHENTICATED && s.getState() != ImapSessionState.LOGOUT;
    }

    /** The session gets the AccessTokenExpired BYE at its next command, or now if it is in IDLE. */
    void invalidate() {
        synchronized (ioLock) {
            if (isAuthenticated()) {
                byeRequested = true;
                if (idling) {
                    sendByeAndClose(BYE_TOKEN_EXPIRED);
                }
            }
        }
    }

    /** Called periodically: an IDLE session whose token expired gets the BYE without waiting for a command. */
    void sweep(Instant now) {
        synchronized (ioLock) {
            if (idling && byeDue(now)) {
                sendByeAndClose(BYE_TOKEN_EXPIRED);
            }
        }
    }

    @Override
    public void forceConnectionClose(String message) {
        sendByeAndClose(message);
    }

    private boolean serveCommand(InputStream in) throws Exception {
        in.mark(MAX_LINE + 2);
        int first = in.read();
        if (first < 0) {
            return false;
        }
        boolean due;
        synchronized (ioLock) {
            due = byeDue(Instant.now());
        }
        if (due) {
            in.reset();
            ImapLines.readLine(in, MAX_LINE);
            sendByeAndClose(BYE_TOKEN_EXPIRED);
            return false;
        }
        String[] head = ImapLines.readHead(in, first);
        in.reset();
        String command = head[1].toUpperCase(Locale.ROOT);
        commands.count(command.equals("UID") ? "UID " + head[2].toUpperCase(Locale.ROOT) : command);
        String m = mailbox;
        if (m != null) {
            faults.command(m);
            // LOGOUT is counted in a throttle window, never refused
            String refusal = faults.refusal(m, false, !command.equals("LOGOUT"));
            if (notConnected && !command.equals("LOGOUT")) {
                refusal = "BAD " + MailboxFaults.NOT_CONNECTED;
            }
            if (refusal != null) {
                ImapLines.readLine(in, MAX_LINE);
                writeLine(head[0] + " " + refusal);
                return true;
            }
        }
        if (m != null && commands.acknowledgements().on()) {
            in.mark(MAX_LINE + 2);
            commands.acknowledgements().command(socket, m, ImapLines.readLine(in, MAX_LINE));
            in.reset();
        }
        if (command.equals("FETCH") || command.equals("UID")) {
            in.mark(MAX_LINE + 2);
            String line = ImapLines.readLine(in, MAX_LINE);
            in.reset();
            if (line != null && command.equals("UID") && head[2].equalsIgnoreCase("SEARCH")) {
                commands.search(line.substring(Math.min(line.length(), head[0].length() + 1)));
            } else if (line != null && command.equals("FETCH")
                    && commands.fetchBreaker().breaks(session, fetchSet(line), line)) {
                LOG.fine(() -> "Breaking the connection at " + line);
                close();
                return false;
            }
        }
        if (command.equals("AUTHENTICATE") || command.equals("LOGIN")) {
            String line = ImapLines.readLine(in, MAX_LINE);
            if (line == null) {
                return false;
            }
            if (isAuthenticated()) {
                writeLine(head[0] + " BAD Command received in Invalid state.");
            } else if (command.equals("LOGIN")) {
                writeLine(head[0] + " NO LOGIN failed.");
            } else {
                authenticate(in, head[0], line);
            }
            return true;
        }
        if (command.equals("CAPABILITY")) {
            ImapLines.readLine(in, MAX_LINE);
            writeLine("* CAPABILITY " + SaslInitialResponse.CAPABILITIES);
            writeLine(head[0] + " OK CAPABILITY completed.");
            return true;
        }
        synchronized (ioLock) {
            idling = command.equals("IDLE");
        }
        try {
            if (command.equals("IDLE")) {
                String line = ImapLines.readLine(in, MAX_LINE); // "tag IDLE"
                return line != null && StandInIdle.serve(session, head[0], in, out, ioLock, this::writeLine);
            }
            return requests.handleRequest(in, out, session);
        } finally {
            synchronized (ioLock) {
                idling = false;
            }
        }
    }

    /** The sequence set of "tag FETCH set items". */
    private static String fetchSet(String line) {
        String[] words = line.split(" ", 4);
        return words.length > 2 ? words[2] : "";
    }

    private void authenticate(InputStream in, String tag, String line) throws IOException {
        String[] parts = line.trim().split(" +", 4);
        if (parts.length < 3) {
            writeLine(tag + " BAD Command Argument Error. 11");
            return;
        }
        String mechanism = parts[2].toUpperCase(Locale.ROOT);
        if (!mechanism.equals("XOAUTH2") && !mechanism.equals("OAUTHBEARER")) {
            writeLine(tag + " NO AUTHENTICATE failed.");
            return;
        }
        String response = parts.length > 3 ? parts[3].trim() : null;
        if (response == null) {
            writeLine("+ ");
            response = ImapLines.readLine(in, MAX_LINE);
            if (response == null) {
                return;
            }
        }
        if (response.trim().equals("*")) {
            writeLine(tag + " BAD AUTHENTICATE cancelled.");
            return;
        }
        SaslInitialResponse sasl;
        try {
            sasl = SaslInitialResponse.parse(mechanism, response);
        } catch (IllegalArgumentException e) {
            LOG.fine(() -> "AUTHENTICATE " + mechanism + " refused: malformed initial response");
            writeLine(tag + " NO AUTHENTICATE failed.");
            return;
        }
        faults.command(sasl.user());
        faults.login(sasl.user());
        String refusal = faults.refusal(sasl.user(), true);
        if (refusal != null) {
            writeLine(tag + " " + refusal);
            return;
        }
        GreenMailUser user = users.getUserByEmail(sasl.user());
        Optional<TokenClaims> claims = Optional.empty();
        if (user == null) {
            LOG.fine(() -> "AUTHENTICATE " + mechanism + " refused: no mailbox " + sasl.user());
        } else {
            claims = authorizer.authorize(user.getEmail(), sasl.token());
        }
        if (claims.isEmpty() && mechanism.equals("OAUTHBEARER")) {
            // RFC 7628 3.2.2: an error challenge, which the client answers with ^A, then the failure
            writeLine("+ " + java.util.Base64.getEncoder().encodeToString(
                    "{\"status\":\"invalid_token\"}".getBytes(StandardCharsets.UTF_8)));
            ImapLines.readLine(in, MAX_LINE);
        }
        if (claims.isPresent() && !faults.admit(user.getEmail())) {
            writeLine(tag + " NO " + MailboxFaults.TOO_MANY);
        } else if (claims.isPresent()) {
            mailbox = user.getEmail();
            notConnected = faults.notConnected(mailbox);
            tokenExpiresAt = claims.get().expiresAt();
            session.setAuthenticated(user);
            writeLine(tag + " OK AUTHENTICATE completed.");
        } else {
            writeLine(tag + " NO AUTHENTICATE failed.");
        }
    }

    private boolean byeDue(Instant now) {
        Instant expiry = tokenExpiresAt;
        return !byeSent && isAuthenticated() && (byeRequested || (expiry != null && !now.isBefore(expiry)));
    }

    private void sendByeAndClose(String message) {
        synchronized (ioLock) {
            if (byeSent) {
                return;
            }
            byeSent = true;
            if (out != null) {
                try {
                    out.write(("* BYE " + message + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    LOG.log(Level.FINE, "Cannot send BYE", e);
                }
            }
            LOG.fine(() -> "IMAP session closed with BYE " + message);
        }
        close();
    }

    private void writeLine(String line) throws IOException {
        synchronized (ioLock) {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }
}
