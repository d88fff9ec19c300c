package org.imapra.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.imapra.standin.LocalCertificates;

/**
 * A scripted IMAP peer over TLS (the stand-in's server certificate for {@code localhost}): it speaks just enough IMAP
 * (greeting, CAPABILITY, AUTHENTICATE XOAUTH2 accepting any token, LIST, SELECT, STATUS, SEARCH, UID FETCH of UIDs,
 * NOOP, LOGOUT) to reach the point where its {@link Script} misbehaves: garbage after AUTHENTICATE, a truncated
 * FETCH, garbage instead of a STATUS answer; then it either goes silent (the connection stays open) or closes.
 */
final class FakeImapServer implements AutoCloseable {

    enum Script {
        /** AUTHENTICATE is answered with a garbage line, then silence. */
        GARBAGE_AFTER_AUTHENTICATE(false),
        /** AUTHENTICATE is answered with a garbage line, then the connection is closed. */
        GARBAGE_AFTER_AUTHENTICATE_THEN_CLOSE(true),
        /** The FETCH of envelopes stops in the middle of a literal, then silence. */
        TRUNCATED_FETCH(false),
        /** The FETCH of envelopes stops in the middle of a literal, then the connection is closed. */
        TRUNCATED_FETCH_THEN_CLOSE(true),
        /** STATUS is answered with a garbage line, then silence. */
        GARBAGE_INSTEAD_OF_STATUS(false);

        final boolean close;

        Script(boolean close) {
            this.close = close;
        }
    }

    static final String GARBAGE = "\u0001\u007f%%% 0xDEADBEEF ((( not imap at all ]]";

    private final Script script;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger misbehaved = new AtomicInteger();
    private volatile boolean closed;

    FakeImapServer(Script script) throws IOException {
        this.script = script;
        Rig.m365(); // the JVM trusts the stand-in's CA from here on
        server = LocalCertificates.jvm().serverContext().getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(this::acceptLoop, "fake-imap-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Connections the client has not closed yet. */
    int open() {
        return open.size();
    }

    /** How many times the script's fault was played. */
    int misbehaved() {
        return misbehaved.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "fake-imap-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            write(out, "* OK fake IMAP4rev1 service ready");
            for (String line = readLine(in); line != null; line = readLine(in)) {
                String[] w = line.split(" ", 3);
                if (w.length < 2) {
                    write(out, "* BAD no tag");
                    continue;
                }
                String tag = w[0];
                String cmd = w[1].toUpperCase(Locale.ROOT);
                String args = w.length > 2 ? w[2] : "";
                if (cmd.equals("UID") && !args.isEmpty()) {
                    String[] u = args.split(" ", 2);
                    cmd = "UID " + u[0].toUpperCase(Locale.ROOT);
                    args = u.length > 1 ? u[1] : "";
                }
                if (!answer(in, out, tag, cmd, args)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.remove(s);
        }
    }

    /** @return false to end the connection */
    private boolean answer(InputStream in, OutputStream out, String tag, String cmd, String args) throws IOException {
        switch (cmd) {
            case "CAPABILITY" -> {
                write(out, "* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR IDLE UIDPLUS MOVE");
                write(out, tag + " OK CAPABILITY completed");
            }
            case "AUTHENTICATE" -> {
                if (!args.contains(" ")) {
                    write(out, "+ ");
                    readLine(in); // the initial response
                }
                if (script == Script.GARBAGE_AFTER_AUTHENTICATE || script == Script.GARBAGE_AFTER_AUTHENTICATE_THEN_CLOSE) {
                    return misbehave(in, out, GARBAGE);
                }
                write(out, tag + " OK AUTHENTICATE completed");
            }
            case "LIST" -> {
                write(out, "* LIST (\\HasNoChildren) \"/\" INBOX");
                write(out, tag + " OK LIST completed");
            }
            case "SELECT", "EXAMINE" -> {
                write(out, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)");
                write(out, "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags");
                write(out, "* 1 EXISTS");
                write(out, "* 0 RECENT");
                write(out, "* OK [UIDVALIDITY 42] UIDs valid");
                write(out, "* OK [UIDNEXT 2] Predicted next UID");
                write(out, tag + " OK [" + (cmd.equals("SELECT") ? "READ-WRITE" : "READ-ONLY") + "] done");
            }
            case "STATUS" -> {
                if (script == Script.GARBAGE_INSTEAD_OF_STATUS) {
                    return misbehave(in, out, GARBAGE);
                }
                write(out, "* STATUS INBOX (MESSAGES 1 UNSEEN 1 UIDVALIDITY 42 UIDNEXT 2)");
                write(out, tag + " OK STATUS completed");
            }
            case "SEARCH", "UID SEARCH" -> {
                write(out, "* SEARCH 1");
                write(out, tag + " OK SEARCH completed");
            }
            case "FETCH", "UID FETCH" -> {
                String items = args.toUpperCase(Locale.ROOT);
                if (items.contains("ENVELOPE") && (script == Script.TRUNCATED_FETCH
                        || script == Script.TRUNCATED_FETCH_THEN_CLOSE)) {
                    return misbehave(in, out, "* 1 FETCH (UID 1 RFC822.SIZE 2048 FLAGS () ENVELOPE (\"Mon, 1 Jan "
                            + "2024 00:00:00 +0000\" {120}\r\nthe subject is cut he");
                }
                write(out, "* 1 FETCH (UID 1)");
                write(out, tag + " OK FETCH completed");
            }
            case "LOGOUT" -> {
                write(out, "* BYE fake IMAP logging out");
                write(out, tag + " OK LOGOUT completed");
                return false;
            }
            default -> write(out, tag + " OK " + cmd + " completed");
        }
        return true;
    }

    /** Plays the fault; then closes (false) or stays silent, ignoring whatever comes, until the client leaves. */
    private boolean misbehave(InputStream in, OutputStream out, String text) throws IOException {
        misbehaved.incrementAndGet();
        out.write((text + (text.endsWith("\r\nthe subject is cut he") ? "" : "\r\n"))
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (!script.close) {
            while (readLine(in) != null) {
                // silence
            }
        }
        return false;
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
