package org.imapra.standin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** A bare IMAPS client for exact server answers: TLS with hostname verification, one command at a time. */
final class ImapProbe implements AutoCloseable {
    private final SSLSocket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final List<String> lines = new ArrayList<>();
    private int tag;

    ImapProbe(LocalCertificates certificates, String host, int port) throws IOException {
        socket = (SSLSocket) certificates.clientContext().getSocketFactory().createSocket(host, port);
        SSLParameters p = socket.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(p);
        socket.setSoTimeout(10_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
        lines.add(in.readLine());
    }

    static String xoauth2(String user, String token) {
        return "user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001";
    }

    static String oauthBearer(String user, String token) {
        return "n,a=" + user + ",\u0001auth=Bearer " + token + "\u0001\u0001";
    }

    /** {@code AUTHENTICATE} with an initial response; answers an error challenge as RFC 7628 says. */
    String authenticate(String mechanism, String initialResponse) throws IOException {
        String t = send("AUTHENTICATE " + mechanism + " "
                + Base64.getEncoder().encodeToString(initialResponse.getBytes(StandardCharsets.UTF_8)));
        while (true) {
            String line = read();
            if (line.startsWith("+")) {
                write(mechanism.equals("OAUTHBEARER") ? "AQ==" : "");
            } else if (line.startsWith(t + " ")) {
                return line.substring(t.length() + 1);
            }
        }
    }

    /** Sends a command, returns its tagged answer (untagged lines go to {@link #lines()}). */
    String command(String command) throws IOException {
        String t = send(command);
        while (true) {
            String line = read();
            if (line.startsWith(t + " ")) {
                return line.substring(t.length() + 1);
            }
        }
    }

    /** Sends a command without waiting for its answer; returns the first line that comes back. */
    String start(String command) throws IOException {
        send(command);
        return read();
    }

    /** The next line from the server. */
    String next() throws IOException {
        return read();
    }

    List<String> lines() {
        return lines;
    }

    private String send(String command) throws IOException {
        String t = "p" + ++tag;
        write(t + " " + command);
        return t;
    }

    void write(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private String read() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("Connection closed; so far: " + lines);
        }
        lines.add(line);
        return line;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
