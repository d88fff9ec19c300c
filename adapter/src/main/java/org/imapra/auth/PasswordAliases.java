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
                property + " refers to the password alias '" + alias.get() + "', which this server does not have: "
                        + "create it (asadmin create-password-alias " + alias.get() + ") or correct the name", null,
                null));
    }

    /** The alias's value, or empty when the server has no such alias (or no password alias support). */
    public static Optional<char[]> lookup(String alias) {
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> provider = Class.forName("org.eclipse.microprofile.config.ConfigProvider", true,
                    loader != null ? loader : PasswordAliases.class.getClassLoader());
            Object config = provider.getMethod("getConfig").invoke(null);
            Method get = config.getClass().getMethod("getOptionalValue", String.class, Class.class);
            // Payara's password alias config source answers the reference itself as a property name
            Optional<?> v = (Optional<?>) get.invoke(config, "${ALIAS=" + alias + "}", String.class);
            return v.filter(s -> !s.toString().startsWith("${ALIAS=")).map(s -> s.toString().toCharArray());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.log(Level.FINE, "No MicroProfile Config to resolve password alias " + alias + ": " + e, e);
            return Optional.empty();
        }
    }
}
