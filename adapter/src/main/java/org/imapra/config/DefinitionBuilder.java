package org.imapra.config;

import static org.imapra.api.admin.MailboxProperty.*;

import java.util.EnumMap;
import java.util.Map;
import org.imapra.api.admin.MailboxProperty;

/**
 * Collects the raw values of a mailbox definition (as config properties, the console, the store or tests give them)
 * and turns them into a valid {@link MailboxDefinition}, or an {@link InvalidDefinitionException} listing every
 * problem. Surrounding white space is removed from plain values; blank means "not set". Secrets are taken as given.
 */
public final class DefinitionBuilder {

    String name;
    final Map<MailboxProperty, Object> values = new EnumMap<>(MailboxProperty.class);

    DefinitionBuilder() {
    }

    DefinitionBuilder(String name, Map<MailboxProperty, Object> values) {
        this.name = name;
        this.values.putAll(values);
    }

    private static String clean(String value) {
        if (value == null) {
            return null;
        }
        String t = value.strip();
        return t.isEmpty() ? null : t;
    }

    /**
     * Sets a property: a String (or {@link Secret}) for text, choices and secrets, an Integer for numbers; null or
     * blank clears it.
     */
    public DefinitionBuilder set(MailboxProperty p, Object value) {
        Object v = switch (p.kind()) {
            case SECRET -> value instanceof String s ? Secret.of(s) : (Secret) value;
            case NUMBER -> (Integer) value;
            case TEXT, CHOICE -> clean((String) value);
        };
        if (v == null) {
            values.remove(p);
        } else {
            values.put(p, v);
        }
        return this;
    }

    String text(MailboxProperty p) {
        return (String) values.get(p);
    }

    Integer number(MailboxProperty p) {
        return (Integer) values.get(p);
    }

    Secret secret(MailboxProperty p) {
        return (Secret) values.get(p);
    }

    public DefinitionBuilder name(String v) {
        name = clean(v);
        return this;
    }

    public DefinitionBuilder userName(String v) {
        return set(USER_NAME, v);
    }

    public DefinitionBuilder tenantId(String v) {
        return set(TENANT_ID, v);
    }

    public DefinitionBuilder clientId(String v) {
        return set(CLIENT_ID, v);
    }

    public DefinitionBuilder clientSecret(String v) {
        return set(CLIENT_SECRET, v);
    }

    public DefinitionBuilder clientSecret(Secret v) {
        return set(CLIENT_SECRET, v);
    }

    public DefinitionBuilder certificatePath(String v) {
        return set(CERTIFICATE_PATH, v);
    }

    public DefinitionBuilder certificatePassword(String v) {
        return set(CERTIFICATE_PASSWORD, v);
    }

    public DefinitionBuilder certificatePassword(Secret v) {
        return set(CERTIFICATE_PASSWORD, v);
    }

    public DefinitionBuilder credential(String v) {
        return set(CREDENTIAL, v);
    }

    public DefinitionBuilder certificateKeyStore(String v) {
        return set(CERTIFICATE_KEY_STORE, v);
    }

    public DefinitionBuilder certificateAlias(String v) {
        return set(CERTIFICATE_ALIAS, v);
    }

    public DefinitionBuilder federatedTokenFile(String v) {
        return set(FEDERATED_TOKEN_FILE, v);
    }

    public DefinitionBuilder nextClientSecret(String v) {
        return set(NEXT_CLIENT_SECRET, v);
    }

    public DefinitionBuilder nextCertificatePath(String v) {
        return set(NEXT_CERTIFICATE_PATH, v);
    }

    public DefinitionBuilder nextCertificateAlias(String v) {
        return set(NEXT_CERTIFICATE_ALIAS, v);
    }

    public DefinitionBuilder secretExpires(String v) {
        return set(SECRET_EXPIRES, v);
    }

    public DefinitionBuilder nextSecretExpires(String v) {
        return set(NEXT_SECRET_EXPIRES, v);
    }

    public DefinitionBuilder cloud(String v) {
        return set(CLOUD, v);
    }

    public DefinitionBuilder authorityHost(String v) {
        return set(AUTHORITY_HOST, v);
    }

    public DefinitionBuilder imapHost(String v) {
        return set(IMAP_HOST, v);
    }

    public DefinitionBuilder imapPort(Integer v) {
        return set(IMAP_PORT, v);
    }

    public DefinitionBuilder scope(String v) {
        return set(SCOPE, v);
    }

    public DefinitionBuilder saslMechanism(String v) {
        return set(SASL_MECHANISM, v);
    }

    public DefinitionBuilder connectTimeoutMillis(Integer v) {
        return set(CONNECT_TIMEOUT_MILLIS, v);
    }

    public DefinitionBuilder readTimeoutMillis(Integer v) {
        return set(READ_TIMEOUT_MILLIS, v);
    }

    public DefinitionBuilder httpsProxy(String v) {
        return set(HTTPS_PROXY, v);
    }

    public DefinitionBuilder authMode(String v) {
        return set(AUTH_MODE, v);
    }

    public DefinitionBuilder maxConnectionsPerMailbox(Integer v) {
        return set(MAX_CONNECTIONS_PER_MAILBOX, v);
    }

    public DefinitionBuilder tokenRenewalMarginSeconds(Integer v) {
        return set(TOKEN_RENEWAL_MARGIN_SECONDS, v);
    }

    /** True when none of the identifying values (mailbox, tenant, client) is set. */
    public boolean isEmpty() {
        return values.keySet().stream().noneMatch(MailboxProperty::identifying);
    }

    /**
     * @throws InvalidDefinitionException listing every problem, each naming its property
     */
    public MailboxDefinition build() {
        return new DefinitionValidator(this, true).toDefinition();
    }

    /**
     * As {@link #build()}, but a certificate file that is missing or unreadable now is no reason to refuse: a stored
     * definition stays loadable (listed, editable, deletable) and says what is wrong when used or pinged.
     */
    MailboxDefinition buildStored() {
        return new DefinitionValidator(this, false).toDefinition();
    }
}
