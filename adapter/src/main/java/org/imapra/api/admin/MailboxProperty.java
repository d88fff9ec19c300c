package org.imapra.api.admin;

import java.util.List;
import java.util.Optional;

/**
 * The properties of a mailbox definition, declared once: their name (the public contract of the README table, the
 * JCA config properties, the console's form fields and the store's JSON keys), kind, default and whether they decide
 * where the credential or a token is sent. Everything that lists, copies, stores, shows or compares the properties
 * walks this enum.
 */
public enum MailboxProperty {
    USER_NAME("userName", Kind.TEXT, null, false),
    TENANT_ID("tenantId", Kind.TEXT, null, true),
    CLIENT_ID("clientId", Kind.TEXT, null, false),
    CLIENT_SECRET("clientSecret", Kind.SECRET, null, false),
    CERTIFICATE_PATH("certificatePath", Kind.TEXT, null, true),
    CERTIFICATE_PASSWORD("certificatePassword", Kind.SECRET, null, false),
    /** SECRET, CERTIFICATE or FEDERATED; not set: the one whose properties are set. */
    CREDENTIAL("credential", Kind.CHOICE, null, true, "SECRET", "CERTIFICATE", "FEDERATED"),
    CERTIFICATE_KEY_STORE("certificateKeyStore", Kind.TEXT, null, true),
    CERTIFICATE_ALIAS("certificateAlias", Kind.TEXT, null, true),
    FEDERATED_TOKEN_FILE("federatedTokenFile", Kind.TEXT, null, true),
    NEXT_CLIENT_SECRET("nextClientSecret", Kind.SECRET, null, false),
    NEXT_CERTIFICATE_PATH("nextCertificatePath", Kind.TEXT, null, true),
    NEXT_CERTIFICATE_ALIAS("nextCertificateAlias", Kind.TEXT, null, true),
    /** A date (yyyy-MM-dd, UTC) copied from the portal: when clientSecret expires. */
    SECRET_EXPIRES("secretExpires", Kind.TEXT, null, false),
    NEXT_SECRET_EXPIRES("nextSecretExpires", Kind.TEXT, null, false),
    CLOUD("cloud", Kind.CHOICE, Defaults.CLOUD, true, "GLOBAL", "USGOV", "USGOV_DOD", "CHINA"),
    AUTHORITY_HOST("authorityHost", Kind.TEXT, null, true),
    IMAP_HOST("imapHost", Kind.TEXT, null, true),
    IMAP_PORT("imapPort", Kind.NUMBER, Defaults.IMAP_PORT, true),
    SCOPE("scope", Kind.TEXT, null, true),
    SASL_MECHANISM("saslMechanism", Kind.CHOICE, Defaults.SASL_MECHANISM, false, "XOAUTH2", "OAUTHBEARER"),
    CONNECT_TIMEOUT_MILLIS("connectTimeoutMillis", Kind.NUMBER, Defaults.CONNECT_TIMEOUT_MILLIS, false),
    READ_TIMEOUT_MILLIS("readTimeoutMillis", Kind.NUMBER, Defaults.READ_TIMEOUT_MILLIS, false),
    HTTPS_PROXY("httpsProxy", Kind.TEXT, null, true),
    MAX_CONNECTIONS_PER_MAILBOX("maxConnectionsPerMailbox", Kind.NUMBER, null, false),
    TOKEN_RENEWAL_MARGIN_SECONDS("tokenRenewalMarginSeconds", Kind.NUMBER, null, false),
    AUTH_MODE("authMode", Kind.CHOICE, Defaults.AUTH_MODE, true, "APP_ONLY", "DELEGATED");

    /** How a property's value is typed in forms, config properties and the store. */
    public enum Kind {
        /** Free text (String). */
        TEXT,
        /** One of {@link #choices()} (String). */
        CHOICE,
        /** A whole number (Integer). */
        NUMBER,
        /** Write-only: {@code char[]} in forms, never shown, encrypted at rest. */
        SECRET
    }

    /** The defaults as constants, for annotations such as {@code @ConfigProperty(defaultValue = ...)}. */
    public static final class Defaults {
        public static final String CLOUD = "GLOBAL";
        public static final String IMAP_PORT = "993";
        public static final String SASL_MECHANISM = "XOAUTH2";
        public static final String CONNECT_TIMEOUT_MILLIS = "15000";
        public static final String READ_TIMEOUT_MILLIS = "60000";
        public static final String AUTH_MODE = "APP_ONLY";

        private Defaults() {
        }
    }

    private final String key;
    private final Kind kind;
    private final String defaultText;
    private final boolean routing;
    private final List<String> choices;

    MailboxProperty(String key, Kind kind, String defaultText, boolean routing, String... choices) {
        this.key = key;
        this.kind = kind;
        this.defaultText = defaultText;
        this.routing = routing;
        this.choices = List.of(choices);
    }

    /** The property's name, e.g. {@code userName}. */
    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    public boolean secret() {
        return kind == Kind.SECRET;
    }

    /** The allowed values of a {@link Kind#CHOICE}, else empty. */
    public List<String> choices() {
        return choices;
    }

    /** The default as written in the README (e.g. {@code "993"}), or null when the property has none. */
    public String defaultText() {
        return defaultText;
    }

    /** The default typed as the property's values are (Integer for numbers, String otherwise), or null. */
    public Object defaultValue() {
        return defaultText == null ? null : kind == Kind.NUMBER ? Integer.valueOf(defaultText) : defaultText;
    }

    /**
     * True when the property decides where the credential or a token goes (token endpoint, IMAP server, proxy,
     * which credential): a stored secret must not follow a change of it unseen.
     */
    public boolean routing() {
        return routing;
    }

    /** True for the properties that identify the mailbox and the app: a definition exists once one is set. */
    public boolean identifying() {
        return this == USER_NAME || this == TENANT_ID || this == CLIENT_ID;
    }

    /** The property named {@code key} (case-sensitive, as in the README). */
    public static Optional<MailboxProperty> byKey(String key) {
        for (MailboxProperty p : values()) {
            if (p.key.equals(key)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
