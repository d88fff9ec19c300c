package org.imapra.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificatesTest {
    final LocalCertificates certs = LocalCertificates.jvm();

    @Test
    void serverCertificateIsForLocalhostAndSignedByTheCa() throws Exception {
        X509Certificate server = (X509Certificate) certs.serverKeyStore().getCertificate("localhost");
        server.verify(certs.caCertificate().getPublicKey());
        assertTrue(server.getSubjectAlternativeNames().containsAll(List.of(List.of(2, "localhost"),
                List.of(7, "127.0.0.1"))), String.valueOf(server.getSubjectAlternativeNames()));
    }

    @Test
    void writesAPkcs12TrustStore(@TempDir Path dir) throws Exception {
        Path file = certs.writeTrustStore(dir.resolve("trust.p12"), "pw".toCharArray());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, "pw".toCharArray());
        }
        assertEquals(certs.caCertificate(), store.getCertificate(store.aliases().nextElement()));
    }

    @Test
    void clientsVerifyTheHostName() throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) certs.serverContext().getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2; i++) {
                    try (SSLSocket s = (SSLSocket) server.accept()) {
                        s.startHandshake();
                    } catch (Exception ignored) {
                        // the client may refuse the handshake
                    }
                }
            });
            handshake(server.getLocalPort(), "localhost");
            assertThrows(SSLHandshakeException.class, () -> handshake(server.getLocalPort(), "imap.example.invalid"));
        }
    }

    private void handshake(int port, String hostName) throws Exception {
        try (Socket plain = new Socket("127.0.0.1", port);
             SSLSocket tls = (SSLSocket) certs.clientContext().getSocketFactory()
                     .createSocket(plain, hostName, port, true)) {
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(params);
            tls.startHandshake();
        }
    }
}
