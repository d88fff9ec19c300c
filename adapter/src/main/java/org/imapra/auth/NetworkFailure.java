package org.imapra.auth;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** The network failure behind an exception, as the hints for the token side and the IMAP side tell it. */
public enum NetworkFailure {
    /** The host name does not resolve. */
    UNKNOWN_HOST,
    /** The connection was refused. */
    REFUSED,
    /** No answer in time. */
    TIMEOUT,
    /** The TLS handshake failed, e.g. an untrusted or mismatched certificate. */
    TLS_HANDSHAKE,
    /** Another TLS failure, e.g. TLS spoken to a plain port. */
    TLS;

    /** The first network failure in the cause chain, or null when there is none. */
    public static NetworkFailure of(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return UNKNOWN_HOST;
            }
            if (t instanceof ConnectException) {
                return REFUSED;
            }
            if (t instanceof SocketTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof SSLHandshakeException || t instanceof CertificateException) {
                return TLS_HANDSHAKE;
            }
            if (t instanceof SSLException) {
                return TLS;
            }
        }
        return null;
    }
}
