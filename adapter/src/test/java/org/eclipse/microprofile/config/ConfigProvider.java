package org.eclipse.microprofile.config;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's MicroProfile Config as the adapter's tests see it: only the shape imapra's password alias lookup uses
 * (ConfigProvider.getConfig().getOptionalValue(name, String.class)), answering {@code ${ALIAS=name}} for the aliases
 * a test {@link #alias defines}, as Payara's password alias config source does.
 */
public final class ConfigProvider {

    private static final Map<String, String> ALIASES = new ConcurrentHashMap<>();
    private static final TestConfig CONFIG = new TestConfig();

    private ConfigProvider() {
    }

    public static Config getConfig() {
        return CONFIG;
    }

    /** Defines (value non-null) or removes a password alias. */
    public static void alias(String name, String value) {
        if (value == null) {
            ALIASES.remove(name);
        } else {
            ALIASES.put(name, value);
        }
    }

    /** The config object (not public, as a server's implementation need not be). */
    static final class TestConfig implements Config {
        @Override
        public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
            if (!name.startsWith("${ALIAS=") || !name.endsWith("}")) {
                return Optional.empty();
            }
            return Optional.ofNullable(ALIASES.get(name.substring(8, name.length() - 1))).map(type::cast);
        }
    }
}
