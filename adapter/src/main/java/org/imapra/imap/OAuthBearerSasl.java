package org.imapra.imap;

import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.Security;
import java.util.Map;
import java.util.logging.Logger;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslClientFactory;
import javax.security.sasl.SaslException;

/**
 * SASL OAUTHBEARER (RFC 7628) for Angus Mail, which has XOAUTH2 built in but not OAUTHBEARER. Registered as a JCA
 * security provider on first use and removed by {@link #unregister()} when the resource adapter stops.
 */
public final class OAuthBearerSasl extends Provider {

    private static final long serialVersionUID = 1L;
    static final String NAME = "imapra-sasl-oauthbearer";
    private static final Logger LOG = Logger.getLogger(OAuthBearerSasl.class.getName());

    private OAuthBearerSasl() {
        super(NAME, "1.0", "SASL OAUTHBEARER client (RFC 7628) for imapra");
        put("SaslClientFactory.OAUTHBEARER", Factory.class.getName());
    }

    static synchronized void register() {
        if (Security.getProvider(NAME) == null) {
            Security.addProvider(new OAuthBearerSasl());
            LOG.fine("Registered the OAUTHBEARER SASL client");
        }
    }

    public static synchronized void unregister() {
        Security.removeProvider(NAME);
    }

    /** The initial client response: {@code n,a=<user>,^Aauth=Bearer <token>^A^A}. */
    public static byte[] initialResponse(String user, String token) {
        String saslName = user.replace("=", "=3D").replace(",", "=2C");
        return ("n,a=" + saslName + ",\u0001auth=Bearer " + token + "\u0001\u0001").getBytes(StandardCharsets.UTF_8);
    }

    /** Creates {@link Client}s; instantiated by the SASL framework. */
    public static final class Factory implements SaslClientFactory {

        @Override
        public SaslClient createSaslClient(String[] mechanisms, String authorizationId, String protocol,
                                           String serverName, Map<String, ?> props, CallbackHandler cbh)
                throws SaslException {
            for (String m : mechanisms) {
                if ("OAUTHBEARER".equals(m)) {
                    return new Client(cbh);
                }
            }
            return null;
        }

        @Override
        public String[] getMechanismNames(Map<String, ?> props) {
            return new String[] {"OAUTHBEARER"};
        }
    }

    static final class Client implements SaslClient {

        private final CallbackHandler handler;
        private boolean sent;
        private boolean complete;

        Client(CallbackHandler handler) {
            this.handler = handler;
        }

        @Override
        public String getMechanismName() {
            return "OAUTHBEARER";
        }

        @Override
        public boolean hasInitialResponse() {
            return true;
        }

        @Override
        public byte[] evaluateChallenge(byte[] challenge) throws SaslException {
            if (sent) {
                // RFC 7628 §3.2.3: the server sent an error (JSON); answer with a single ^A to end the exchange.
                complete = true;
                return new byte[] {1};
            }
            NameCallback name = new NameCallback("user");
            PasswordCallback token = new PasswordCallback("token", false);
            try {
                handler.handle(new Callback[] {name, token});
            } catch (Exception e) {
                throw new SaslException("OAUTHBEARER: cannot get the user and token", e);
            }
            char[] t = token.getPassword();
            if (name.getName() == null || t == null || t.length == 0) {
                throw new SaslException("OAUTHBEARER: no user or no token");
            }
            sent = true;
            complete = true;
            try {
                return initialResponse(name.getName(), new String(t));
            } finally {
                token.clearPassword();
            }
        }

        @Override
        public boolean isComplete() {
            return complete;
        }

        @Override
        public byte[] unwrap(byte[] incoming, int offset, int len) {
            throw new IllegalStateException("OAUTHBEARER has no security layer");
        }

        @Override
        public byte[] wrap(byte[] outgoing, int offset, int len) {
            throw new IllegalStateException("OAUTHBEARER has no security layer");
        }

        @Override
        public Object getNegotiatedProperty(String propName) {
            return null;
        }

        @Override
        public void dispose() {
            // nothing held
        }
    }
}
