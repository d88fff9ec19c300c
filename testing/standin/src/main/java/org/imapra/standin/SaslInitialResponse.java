package org.imapra.standin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The user and bearer token of a SASL XOAUTH2 ({@code user=U^Aauth=Bearer T^A^A}) or OAUTHBEARER (RFC 7628:
 * {@code n,a=U,^Aauth=Bearer T^A^A}) initial response.
 */
record SaslInitialResponse(String user, String token) {

    /** Capabilities the stand-in's IMAP server announces (GreenMail's, plus OAUTHBEARER). */
    static final String CAPABILITIES = "IMAP4rev1 LITERAL+ UIDPLUS SORT IDLE MOVE SASL-IR AUTH=XOAUTH2 AUTH=OAUTHBEARER";

    /** Parses a base64 initial response for {@code mechanism}, or throws IllegalArgumentException. */
    static SaslInitialResponse parse(String mechanism, String base64) {
        String text = new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
        String user = null;
        String token = null;
        String[] fields = text.split("\u0001");
        int start = 0;
        if (mechanism.equals("OAUTHBEARER")) {
            String gs2 = fields[0];
            if (!gs2.startsWith("n,a=") && !gs2.startsWith("y,a=")) {
                throw new IllegalArgumentException("OAUTHBEARER needs a GS2 header with a=");
            }
            user = gs2.substring(4, gs2.indexOf(',', 4) < 0 ? gs2.length() : gs2.indexOf(',', 4))
                    .replace("=2C", ",").replace("=3D", "=");
            start = 1;
        }
        for (int i = start; i < fields.length; i++) {
            String f = fields[i];
            if (f.startsWith("user=")) {
                user = f.substring(5);
            } else if (f.startsWith("auth=Bearer ")) {
                token = f.substring(12);
            }
        }
        if (user == null || user.isEmpty() || token == null || token.isEmpty()) {
            throw new IllegalArgumentException("no user or no bearer token");
        }
        return new SaslInitialResponse(user, token);
    }
}
