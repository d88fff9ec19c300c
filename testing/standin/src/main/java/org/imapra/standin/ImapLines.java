package org.imapra.standin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading IMAP command lines byte by byte, so that GreenMail can re-read them after a mark/reset. */
final class ImapLines {
    private ImapLines() {
    }

    /**
     * Tag, command name and the word after it (e.g. FETCH of {@code UID FETCH}, or "") of the line starting with
     * {@code first}; reads at most up to the third space.
     */
    static String[] readHead(InputStream in, int first) throws IOException {
        StringBuilder[] words = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
        int w = 0;
        int c = first;
        for (int n = 0; c >= 0 && c != '\r' && c != '\n' && n < 256; n++) {
            if (c == ' ') {
                if (++w == words.length) {
                    break;
                }
            } else {
                words[w].append((char) c);
            }
            c = in.read();
        }
        return new String[] {words[0].toString(), words[1].toString(), words[2].toString()};
    }

    /** The rest of the current line without CRLF, or {@code null} at end of stream. */
    static String readLine(InputStream in, int maxLine) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (line.size() >= maxLine) {
                throw new IOException("IMAP command line too long");
            }
            line.write(c);
        }
        if (c < 0 && line.size() == 0) {
            return null;
        }
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
