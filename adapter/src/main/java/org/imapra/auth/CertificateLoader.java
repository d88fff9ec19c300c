package org.imapra.auth;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.IClientCredential;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads a certificate credential: PKCS#12 ({@code .p12}/{@code .pfx}, its first key entry), an entry of a PKCS#12 key
 * store named by its alias, or PEM (certificate chain plus a PKCS#8 private key, optionally encrypted with
 * {@code certificatePassword}, which may be a password alias reference).
 */
final class CertificateLoader {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    private CertificateLoader() {
    }

    static IClientCredential load(TokenRequest request) throws TokenException {
        return load(request, read(request));
    }

    private static String where(TokenRequest request) {
        ClientCredential c = request.credential();
        return c.kind() == ClientCredential.Kind.KEY_STORE ? "certificateKeyStore" : c.property();
    }

    /** The certificate file's content; a missing or unreadable file is named as such. */
    static byte[] read(TokenRequest request) throws TokenException {
        Path path;
        try {
            path = Path.of(request.credential().certificatePath());
        } catch (IllegalArgumentException e) {
            throw unreadable(request, e);
        }
        try {
            return Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new TokenException(request.tokenEndpoint(), 0, null, List.of(), "the certificate file in "
                    + where(request) + " '" + path + "' does not exist: restore it, or edit the definition", null, e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new TokenException(request.tokenEndpoint(), 0, null, List.of(), "the certificate file in "
                    + where(request) + " '" + path + "' is not readable by the server's user", null, e);
        } catch (IOException e) {
            throw new TokenException(request.tokenEndpoint(), 0, null, List.of(), "cannot read the certificate "
                    + "file in " + where(request) + " '" + path + "': " + e.getMessage(), null, e);
        }
    }

    /** The credential in {@code bytes}, the content of the certificate file or key store. */
    static IClientCredential load(TokenRequest request, byte[] bytes) throws TokenException {
        Material m = material(request, bytes);
        return ClientCredentialFactory.createFromCertificateChain(m.key(), m.chain());
    }

    /** The private key and certificate chain (leaf first) in {@code bytes}. */
    static Material material(TokenRequest request, byte[] bytes) throws TokenException {
        ClientCredential c = request.credential();
        char[] password = c.certificatePassword() == null ? null
                : PasswordAliases.resolve(c.certificatePassword(), "certificatePassword", request.tokenEndpoint());
        try {
            if (c.kind() == ClientCredential.Kind.KEY_STORE) {
                return KeyStoreEntries.entry(bytes, password, c.alias());
            }
            String text = new String(bytes, StandardCharsets.US_ASCII);
            if (!text.contains("-----BEGIN ")) {
                return KeyStoreEntries.entry(bytes, password, null);
            }
            return fromPem(text, password);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw unreadable(request, e);
        }
    }

    /** A certificate credential's key and chain. */
    record Material(PrivateKey key, List<X509Certificate> chain) {
    }

    private static TokenException unreadable(TokenRequest request, Exception e) {
        ClientCredential c = request.credential();
        String where = c.kind() == ClientCredential.Kind.KEY_STORE
                ? "the key store in certificateKeyStore '" + c.certificatePath() + "'"
                : "the certificate credential in " + c.property() + " '" + c.certificatePath() + "'";
        return new TokenException(request.tokenEndpoint(), 0, null, List.of(),
                "cannot read " + where + ": " + e.getMessage() + (c.kind() == ClientCredential.Kind.KEY_STORE
                        ? " (expected a PKCS#12 key store; its password is certificatePassword)"
                        : " (expected PKCS#12, or PEM with the certificate and a PKCS#8 private key; convert a "
                        + "'BEGIN RSA PRIVATE KEY' file with: openssl pkcs8 -topk8 -nocrypt)"),
                null, e);
    }

    private static Material fromPem(String text, char[] password) throws GeneralSecurityException,
            IOException {
        List<X509Certificate> chain = new ArrayList<>();
        PrivateKey key = null;
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "CERTIFICATE" -> chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
                case "PRIVATE KEY" -> key = privateKey(new PKCS8EncodedKeySpec(der));
                case "ENCRYPTED PRIVATE KEY" -> {
                    if (password == null) {
                        throw new GeneralSecurityException("the private key is encrypted: set certificatePassword");
                    }
                    EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
                    SecretKeyFactory skf = SecretKeyFactory.getInstance(info.getAlgName());
                    key = privateKey(info.getKeySpec(skf.generateSecret(new PBEKeySpec(password))));
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new GeneralSecurityException(
                        "'" + m.group(1) + "' (PKCS#1/SEC1) keys are not supported");
                default -> {
                    // other blocks (e.g. parameters) are ignored
                }
            }
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no CERTIFICATE block found");
        }
        if (key == null) {
            throw new GeneralSecurityException("no PRIVATE KEY block found");
        }
        return new Material(key, chain);
    }

    private static PrivateKey privateKey(PKCS8EncodedKeySpec spec) throws GeneralSecurityException {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (InvalidKeySpecException e) {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        }
    }
}
