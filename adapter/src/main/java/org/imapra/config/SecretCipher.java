package org.imapra.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest with AES-256-GCM. The key comes from {@code IMAPRA_MASTER_KEY} (base64 of 32 bytes) or,
 * if that is not set, from a key file generated once beside the store with owner-only permissions.
 * Ciphertext format: {@code v2:<base64(12-byte IV || ciphertext+tag)>}, the associated data
 * {@code imapra:v2:<definition name>:<field>} binding it to one field of one definition: a value moved to another
 * definition or field does not decrypt. {@code v1:} values (no associated data, written before) are still read.
 */
public final class SecretCipher {

    public static final String ENV_MASTER_KEY = "IMAPRA_MASTER_KEY";
    private static final String LEGACY = "v1:";
    private static final String PREFIX = "v2:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private SecretCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException(ENV_MASTER_KEY + " must be the base64 of 32 random bytes (AES-256), "
                    + "e.g. from: openssl rand -base64 32");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Supplies the names of the stored files that hold encrypted values. */
    @FunctionalInterface
    public interface EncryptedFiles {
        List<String> list() throws IOException;
    }

    /** The key from the environment value if given, else from (or newly into) {@code keyFile}. */
    public static SecretCipher load(String environmentKey, Path keyFile) throws IOException {
        return load(environmentKey, keyFile, List::of);
    }

    /**
     * The key from the environment value if given, else from {@code keyFile}; when neither exists, a new key is
     * written to {@code keyFile} (in one step, owner-only), unless {@code encrypted} names files: they were written
     * with a key that is gone, and a new one would not decrypt them.
     */
    public static SecretCipher load(String environmentKey, Path keyFile, EncryptedFiles encrypted) throws IOException {
        if (environmentKey != null && !environmentKey.isBlank()) {
            try {
                return new SecretCipher(Base64.getDecoder().decode(environmentKey.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ENV_MASTER_KEY + " is not valid base64 of 32 bytes", e);
            }
        }
        if (!Files.exists(keyFile)) {
            List<String> files = encrypted.list();
            if (!files.isEmpty()) {
                throw new IOException(ENV_MASTER_KEY + " is not set and " + keyFile + " does not exist, but "
                        + String.join(", ", files) + " hold secrets encrypted with a master key: a new key would "
                        + "not decrypt them, so none is created. Set " + ENV_MASTER_KEY + " to the key they were "
                        + "written with, or restore " + keyFile.getFileName() + " from a backup");
            }
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            byte[] text = Base64.getEncoder().encode(fresh);
            Arrays.fill(fresh, (byte) 0);
            try {
                DurableFiles.create(keyFile, text);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        String text = Files.readString(keyFile, StandardCharsets.US_ASCII).strip();
        try {
            return new SecretCipher(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            throw new IOException("The key file " + keyFile + " is damaged (not base64 of 32 bytes); restore it, "
                    + "or set " + ENV_MASTER_KEY, e);
        }
    }

    /** Encrypts {@code secret} as field {@code field} of definition {@code name}; only there does it decrypt. */
    public String encrypt(Secret secret, String name, String field) {
        char[] chars = secret.chars();
        ByteBuffer plain = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(chars));
        Arrays.fill(chars, '\0');
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(associatedData(name, field));
            byte[] out = c.doFinal(plain.array(), 0, plain.limit());
            byte[] all = new byte[iv.length + out.length];
            System.arraycopy(iv, 0, all, 0, iv.length);
            System.arraycopy(out, 0, all, iv.length, out.length);
            return PREFIX + Base64.getEncoder().encodeToString(all);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        } finally {
            Arrays.fill(plain.array(), (byte) 0);
        }
    }

    /**
     * Decrypts field {@code field} of definition {@code name}.
     *
     * @param legacyAllowed whether a {@code v1:} value (no associated data) is accepted: only in files written before
     * @throws GeneralSecurityException when the value was encrypted with another key, for another definition or
     *                                  field, or was altered
     */
    public Secret decrypt(String value, String name, String field, boolean legacyAllowed)
            throws GeneralSecurityException {
        boolean legacy = value != null && legacyAllowed && value.startsWith(LEGACY);
        if (value == null || !(legacy || value.startsWith(PREFIX))) {
            throw new GeneralSecurityException("not an encrypted value of this format");
        }
        byte[] all;
        try {
            all = Base64.getDecoder().decode(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not base64", e);
        }
        if (all.length < 12 + 16) {
            throw new GeneralSecurityException("too short");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
        if (!legacy) {
            c.updateAAD(associatedData(name, field));
        }
        byte[] plain = c.doFinal(all, 12, all.length - 12);
        try {
            return Secret.of(new String(plain, StandardCharsets.UTF_8));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static byte[] associatedData(String name, String field) {
        return ("imapra:v2:" + name + ":" + field).getBytes(StandardCharsets.UTF_8);
    }
}
