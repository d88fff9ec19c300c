package org.imapra.ping;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal IMAP-over-TLS conversation for diagnostics: it shows each step's exact server words, which a full client
 * hides. Host name verification is on. Used only by {@link StagedPing}; it never logs what it sends.
 */
final class ImapProbe implements Closeable {

    private static final int MAX_LINE = 64 * 1024;

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tag;

    private ImapProbe(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static ImapProbe connect(String host, int port, int connectTimeoutMillis, int readTimeoutMillis)
            throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            plain.setSoTimeout(readTimeoutMillis);
            SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(plain, host, port, true);
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(params);
            tls.startHandshake();
            return new ImapProbe(tls);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    String describeTls() {
        var s = socket.getSession();
        String peer = "?";
        try {
            X509Certificate cert = (X509Certificate) s.getPeerCertificates()[0];
            peer = cert.getSubjectX500Principal().getName() + ", issued by " + cert.getIssuerX500Principal().getName()
                    + ", valid until " + cert.getNotAfter().toInstant();
        } catch (IOException | RuntimeException e) {
            peer = "unknown (" + e.getMessage() + ")";
        }
        return s.getProtocol() + " " + s.getCipherSuite() + "; certificate " + peer;
    }

    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                line.write(c);
            }
            if (line.size() > MAX_LINE) {
                throw new IOException("the server sent a line longer than " + MAX_LINE + " bytes");
            }
        }
        if (c < 0 && line.size() == 0) {
            throw new IOException("the server closed the connection");
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A new command tag. */
    String nextTag() {
        return "p" + (++tag);
    }

    /**
     * Sends a command and reads up to and including its tagged response.
     *
     * @return untagged lines, then the tagged line last
     */
    List<String> command(String command) throws IOException {
        String t = nextTag();
        send(t + " " + command);
        return readUntilTagged(t);
    }

    List<String> readUntilTagged(String t) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = readLine();
            lines.add(l);
            if (l.startsWith(t + " ")) {
                return lines;
            }
        }
    }

    @Override
    public void close() {
        try {
            send(nextTag() + " LOGOUT");
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
