package org.imapra.standin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * A throw-away certificate authority plus a server certificate for {@code DNS:localhost} and {@code IP:127.0.0.1}
 * (RSA 2048, valid two days), generated in memory with BouncyCastle. Clients keep hostname verification on: the
 * certificate really matches {@code localhost} and {@code 127.0.0.1}.
 *
 * <p>{@link #jvm()} is the one instance per JVM that {@link LocalM365} serves with; {@link #trustInThisJvm()} makes
 * the JVM's default TLS (the {@code javax.net.ssl.trustStore} properties, {@link SSLContext#getDefault()} and the
 * {@link HttpsURLConnection} default factory) trust this CA in addition to the JDK's own CAs.
 */
public final class LocalCertificates {
    /** Password of the trust store written by {@link #trustInThisJvm()} (a trust store holds no secret). */
    public static final String JVM_TRUST_STORE_PASSWORD = "changeit";
    private static final Logger LOG = Logger.getLogger(LocalCertificates.class.getName());
    private static final String SERVER_ALIAS = "localhost";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static LocalCertificates jvmInstance;

    private final X509Certificate caCertificate;
    private final KeyStore serverKeyStore;
    private final char[] serverKeyPassword;
    private Path jvmTrustStore;

    private LocalCertificates() {
        try {
            Instant now = Instant.now();
            KeyPair caKeys = Pki.rsaKeyPair();
            X500Name caName = new X500Name("CN=imapra local Microsoft 365 stand-in CA,O=imapra test");
            X509v3CertificateBuilder ca = Pki.builder(caName, caName, caKeys, now, Duration.ofDays(2));
            ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            caCertificate = Pki.sign(ca, caKeys);

            KeyPair serverKeys = Pki.rsaKeyPair();
            X509v3CertificateBuilder server = Pki.builder(caName, new X500Name("CN=localhost,O=imapra test"),
                    serverKeys, now, Duration.ofDays(2));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            server.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(caCertificate));
            server.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            server.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            server.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            server.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509Certificate serverCertificate = Pki.sign(server, caKeys);

            serverKeyPassword = randomPassword();
            serverKeyStore = KeyStore.getInstance("PKCS12");
            serverKeyStore.load(null, null);
            serverKeyStore.setKeyEntry(SERVER_ALIAS, serverKeys.getPrivate(), serverKeyPassword,
                    new Certificate[] {serverCertificate, caCertificate});
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("Cannot generate the local test certificates", e);
        }
    }

    /** Generates a new CA and server certificate (independent of {@link #jvm()}). */
    public static LocalCertificates generate() {
        return new LocalCertificates();
    }

    /** The JVM-wide instance, generated on first use. */
    public static synchronized LocalCertificates jvm() {
        if (jvmInstance == null) {
            jvmInstance = new LocalCertificates();
        }
        return jvmInstance;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** PKCS12 key store holding the server key (alias {@code localhost}) and its chain; see {@link #serverKeyPassword()}. */
    public KeyStore serverKeyStore() {
        return serverKeyStore;
    }

    public char[] serverKeyPassword() {
        return serverKeyPassword.clone();
    }

    /** A TLS context presenting the {@code localhost} certificate. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(serverKeyStore, serverKeyPassword);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build the server TLS context", e);
        }
    }

    /** A trust store holding only this CA. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("imapra-standin-ca", caCertificate);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot build the trust store", e);
        }
    }

    /** Writes {@link #trustStore()} as PKCS12 to {@code file}; returns {@code file}. */
    public Path writeTrustStore(Path file, char[] password) {
        return write(trustStore(), file, password);
    }

    /** A TLS client context that trusts only this CA (hostname verification is the client's, and stays on). */
    public SSLContext clientContext() {
        return contextTrusting(trustStore());
    }

    /**
     * Makes this JVM's default TLS trust this CA besides the JDK's CAs: writes a PKCS12 trust store, sets the
     * {@code javax.net.ssl.trustStore*} properties, {@link SSLContext#setDefault} and
     * {@link HttpsURLConnection#setDefaultSSLSocketFactory}. Idempotent. Must run before any other TLS use in the
     * JVM: clients built earlier may have cached the previous default context.
     */
    public synchronized LocalCertificates trustInThisJvm() {
        if (jvmTrustStore != null) {
            return this;
        }
        try {
            KeyStore store = withJdkCas(false);
            Path file = Files.createTempFile("imapra-standin-truststore", ".p12");
            file.toFile().deleteOnExit();
            write(store, file, JVM_TRUST_STORE_PASSWORD.toCharArray());
            System.setProperty("javax.net.ssl.trustStore", file.toString());
            System.setProperty("javax.net.ssl.trustStorePassword", JVM_TRUST_STORE_PASSWORD);
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            SSLContext context = contextTrusting(store);
            SSLContext.setDefault(context);
            HttpsURLConnection.setDefaultSSLSocketFactory(context.getSocketFactory());
            jvmTrustStore = file;
            LOG.fine(() -> "This JVM now trusts the local stand-in CA; trust store " + file);
            return this;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot make this JVM trust the local CA", e);
        }
    }

    /**
     * Writes, atomically, a PKCS12 trust store for another JVM (Payara) that must trust this CA: the CA plus the
     * JDK's currently valid CAs (Payara warns at start about every expired one). Returns {@code file}.
     */
    public Path writeServerTrustStore(Path file, char[] password) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            write(withJdkCas(true), tmp, password);
            return Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot write the trust store " + file, e);
        }
    }

    /** {@link #trustStore()} plus the JDK's CAs (only those valid now, if {@code validOnly}). */
    private KeyStore withJdkCas(boolean validOnly) throws GeneralSecurityException {
        KeyStore store = trustStore();
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        int i = 0;
        for (var tm : jdk.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                for (X509Certificate issuer : x509.getAcceptedIssuers()) {
                    if (validOnly) {
                        try {
                            issuer.checkValidity();
                        } catch (java.security.cert.CertificateException expiredOrNotYetValid) {
                            continue;
                        }
                    }
                    store.setCertificateEntry("jdk-" + i++, issuer);
                }
            }
        }
        return store;
    }

    /** The trust store file written by {@link #trustInThisJvm()}, or {@code null} before it ran. */
    public synchronized Path jvmTrustStore() {
        return jvmTrustStore;
    }

    private static SSLContext contextTrusting(KeyStore store) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build a client TLS context", e);
        }
    }

    private static Path write(KeyStore store, Path file, char[] password) {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write the trust store", e);
        }
    }

    /** A self-signed certificate for {@code keys} (e.g. an app's client-assertion certificate or a signing key). */
    public static X509Certificate selfSigned(KeyPair keys, String commonName, Duration validity) {
        return Pki.selfSigned(keys, commonName, validity);
    }

    /** The certificate and its unencrypted PKCS#8 private key as one PEM text (a certificatePath file's content). */
    public static String pem(KeyPair keys, X509Certificate certificate) {
        java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        try {
            return "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n"
                    + b64.encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new RSA 2048 key pair. */
    public static KeyPair rsaKeyPair() {
        return Pki.rsaKeyPair();
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }
}
