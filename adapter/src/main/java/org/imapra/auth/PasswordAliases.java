package org.imapra.auth;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets by reference: a secret property whose value is {@code ${ALIAS=name}} names a password alias of the
 * application server ({@code asadmin create-password-alias name}) instead of holding the value. Payara expands such
 * references in resource properties itself; a reference stored by the console is resolved here, through the
 * server's MicroProfile Config (Payara's password alias config source), looked up reflectively so that servers
 * without it only say that the alias cannot be resolved.
 */
public final class PasswordAliases {

    private static final Logger LOG = Logger.getLogger(PasswordAliases.class.getName());
    private static final Pattern REFERENCE = Pattern.compile("^\\$\\{ALIAS=([^}\\s]+)}$");

    private PasswordAliases() {
    }

    /** The alias {@code value} refers to, or empty when it is a plain value. */
    public static Optional<String> aliasOf(CharSequence value) {
        if (value == null || value.length() < 10 || value.charAt(0) != '$') {
            return Optional.empty();
        }
        Matcher m = REFERENCE.matcher(value);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** {@code value} itself, or the value of the alias it refers to. */
    static char[] resolve(char[] value, String property, String tokenEndpoint) throws TokenException {
        Optional<String> alias = aliasOf(java.nio.CharBuffer.wrap(value));
        if (alias.isEmpty()) {
            return value;
        }
        return lookup(alias.get()).orElseThrow(() -> new TokenException(tokenEndpoint, 0, null, java.util.List.of(),
                missing(property, alias.get()), null, null));
    }

    /** What to say when {@code alias} cannot be resolved. */
    public static String missing(String property, String alias) {
        return available()
                ? property + " refers to the password alias '" + alias + "', which this server does not have: "
                + "create it (asadmin create-password-alias " + alias + ") or correct the name"
                : property + " refers to the password alias '" + alias + "', but this server offers no password "
                + "aliases to the adapter (no MicroProfile Config): set the value instead";
    }

    /** Whether the server offers MicroProfile Config, through which aliases are resolved. */
    public static boolean available() {
        try {
            config();
            return true;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return false;
        }
    }

    private static Object config() throws ReflectiveOperationException {
        return Class.forName("org.eclipse.microprofile.config.ConfigProvider", true, providerLoader())
                .getMethod("getConfig").invoke(null);
    }

    private static ClassLoader providerLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : PasswordAliases.class.getClassLoader();
    }

    /** The alias's value, or empty when the server has no such alias (or no password alias support). */
    public static Optional<char[]> lookup(String alias) {
        try {
            Object config = config();
            // through the interface: the server's implementation class need not be public
            Method get = Class.forName("org.eclipse.microprofile.config.Config", true, providerLoader())
                    .getMethod("getOptionalValue", String.class, Class.class);
            // Payara's password alias config source answers the reference itself as a property name
            Optional<?> v = (Optional<?>) get.invoke(config, "${ALIAS=" + alias + "}", String.class);
            return v.filter(s -> !s.toString().startsWith("${ALIAS=")).map(s -> s.toString().toCharArray());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.log(Level.FINE, "No MicroProfile Config to resolve password alias " + alias + ": " + e, e);
            return Optional.empty();
        }
    }
}
