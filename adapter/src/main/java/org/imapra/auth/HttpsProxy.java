package org.imapra.auth;

import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.Optional;
import java.util.regex.Pattern;

/** The HTTPS proxy for token requests and the ping's HTTP calls, parsed once from {@code host:port}. */
public record HttpsProxy(String host, int port) implements Serializable {

    private static final Pattern HOST = Pattern.compile(
            "^(?=.{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$|^\\[[0-9a-fA-F:.]+\\]$");

    /** {@code host:port} (port 1 to 65535), or empty when the text is not of that form. */
    public static Optional<HttpsProxy> parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (!isHostName(host) || !port.matches("\\d{1,5}")) {
            return Optional.empty();
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535 ? Optional.of(new HttpsProxy(host, p)) : Optional.empty();
    }

    /** A DNS host name or a bracketed IP literal (no port). */
    public static boolean isHostName(String text) {
        return HOST.matcher(text).matches();
    }

    /** The proxy for {@link java.net.HttpURLConnection} and MSAL (unresolved: the proxy's name is resolved on use). */
    public Proxy toProxy() {
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
