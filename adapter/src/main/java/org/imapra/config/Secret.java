package org.imapra.config;

import java.io.Serializable;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A secret value (client secret, certificate password). Its {@code toString} never shows it; equality is
 * constant-time. Kept as {@code char[]}; {@link #reveal()} exists only for the libraries that need a String.
 */
public final class Secret implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String REDACTED = "********";

    private final char[] value;

    private Secret(char[] value) {
        this.value = value.clone();
    }

    /** A secret from a String, or null for null or empty input. */
    public static Secret of(String value) {
        return value == null || value.isEmpty() ? null : new Secret(value.toCharArray());
    }

    /** A copy of the characters; wipe it after use. */
    public char[] chars() {
        return value.clone();
    }

    /** The secret as a String, for APIs that take nothing else. Never log it. */
    public String reveal() {
        return new String(value);
    }

    /**
     * The password alias this secret refers to ({@code ${ALIAS=name}}: the server holds the value), or empty for a
     * value.
     */
    public java.util.Optional<String> aliasReference() {
        return org.imapra.auth.PasswordAliases.aliasOf(CharBuffer.wrap(value));
    }

    public int length() {
        return value.length;
    }

    /** A short, non-reversible fingerprint (first 8 hex digits of SHA-256), safe to show: "set, fingerprint ab12cd34". */
    public String fingerprint() {
        byte[] d = digest();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            sb.append(String.format("%02x", d[i]));
        }
        return sb.toString();
    }

    private byte[] digest() {
        java.nio.ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes.duplicate());
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        } finally {
            Arrays.fill(bytes.array(), (byte) 0);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && MessageDigest.isEqual(digest(), other.digest());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest());
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
