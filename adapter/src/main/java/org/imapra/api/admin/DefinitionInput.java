package org.imapra.api.admin;

import static org.imapra.api.admin.MailboxProperty.*;

import java.io.Serializable;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * What an administrator enters for a mailbox definition: a value per {@link MailboxProperty}, with JavaBean
 * accessors for forms. Secrets are {@code char[]}: an empty or null secret on update keeps the stored one. A new input
 * holds the default of each {@link MailboxProperty.Kind#CHOICE CHOICE} property. {@link #toString()} never shows
 * secrets.
 */
public class DefinitionInput implements Serializable {

    private static final long serialVersionUID = 1L;

    private String name;
    private final Map<MailboxProperty, Object> values = new EnumMap<>(MailboxProperty.class);

    public DefinitionInput() {
        for (MailboxProperty p : MailboxProperty.values()) {
            if (p.kind() == Kind.CHOICE && p.defaultValue() != null) {
                values.put(p, p.defaultValue());
            }
        }
    }

    /**
     * The value of {@code p} as entered: a String, an Integer for {@link MailboxProperty.Kind#NUMBER NUMBER}, a copy
     * of the {@code char[]} for a secret; null when not set.
     */
    public Object get(MailboxProperty p) {
        Object v = values.get(p);
        return v instanceof char[] chars ? chars.clone() : v;
    }

    /** Sets {@code p} (types as for {@link #get}); null clears it. */
    public void set(MailboxProperty p, Object value) {
        Object v = value instanceof char[] chars ? chars.clone() : value;
        if (v != null && !(p.secret() ? v instanceof char[] : p.kind() == Kind.NUMBER ? v instanceof Integer
                : v instanceof String)) {
            throw new IllegalArgumentException(p.key() + " takes " + p.kind() + ", not " + v.getClass().getName());
        }
        Object old = v == null ? values.remove(p) : values.put(p, v);
        if (old instanceof char[] chars) {
            Arrays.fill(chars, '\0');
        }
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUserName() {
        return (String) get(USER_NAME);
    }

    public void setUserName(String v) {
        set(USER_NAME, v);
    }

    public String getTenantId() {
        return (String) get(TENANT_ID);
    }

    public void setTenantId(String v) {
        set(TENANT_ID, v);
    }

    public String getClientId() {
        return (String) get(CLIENT_ID);
    }

    public void setClientId(String v) {
        set(CLIENT_ID, v);
    }

    public char[] getClientSecret() {
        return (char[]) get(CLIENT_SECRET);
    }

    public void setClientSecret(char[] v) {
        set(CLIENT_SECRET, v);
    }

    public String getCertificatePath() {
        return (String) get(CERTIFICATE_PATH);
    }

    public void setCertificatePath(String v) {
        set(CERTIFICATE_PATH, v);
    }

    public char[] getCertificatePassword() {
        return (char[]) get(CERTIFICATE_PASSWORD);
    }

    public void setCertificatePassword(char[] v) {
        set(CERTIFICATE_PASSWORD, v);
    }

    public String getCredential() {
        return (String) get(CREDENTIAL);
    }

    public void setCredential(String v) {
        set(CREDENTIAL, v);
    }

    public String getCertificateKeyStore() {
        return (String) get(CERTIFICATE_KEY_STORE);
    }

    public void setCertificateKeyStore(String v) {
        set(CERTIFICATE_KEY_STORE, v);
    }

    public String getCertificateAlias() {
        return (String) get(CERTIFICATE_ALIAS);
    }

    public void setCertificateAlias(String v) {
        set(CERTIFICATE_ALIAS, v);
    }

    public String getFederatedTokenFile() {
        return (String) get(FEDERATED_TOKEN_FILE);
    }

    public void setFederatedTokenFile(String v) {
        set(FEDERATED_TOKEN_FILE, v);
    }

    public char[] getNextClientSecret() {
        return (char[]) get(NEXT_CLIENT_SECRET);
    }

    public void setNextClientSecret(char[] v) {
        set(NEXT_CLIENT_SECRET, v);
    }

    public String getNextCertificatePath() {
        return (String) get(NEXT_CERTIFICATE_PATH);
    }

    public void setNextCertificatePath(String v) {
        set(NEXT_CERTIFICATE_PATH, v);
    }

    public String getNextCertificateAlias() {
        return (String) get(NEXT_CERTIFICATE_ALIAS);
    }

    public void setNextCertificateAlias(String v) {
        set(NEXT_CERTIFICATE_ALIAS, v);
    }

    public String getSecretExpires() {
        return (String) get(SECRET_EXPIRES);
    }

    public void setSecretExpires(String v) {
        set(SECRET_EXPIRES, v);
    }

    public String getNextSecretExpires() {
        return (String) get(NEXT_SECRET_EXPIRES);
    }

    public void setNextSecretExpires(String v) {
        set(NEXT_SECRET_EXPIRES, v);
    }

    public String getCloud() {
        return (String) get(CLOUD);
    }

    public void setCloud(String v) {
        set(CLOUD, v);
    }

    public String getAuthorityHost() {
        return (String) get(AUTHORITY_HOST);
    }

    public void setAuthorityHost(String v) {
        set(AUTHORITY_HOST, v);
    }

    public String getImapHost() {
        return (String) get(IMAP_HOST);
    }

    public void setImapHost(String v) {
        set(IMAP_HOST, v);
    }

    public Integer getImapPort() {
        return (Integer) get(IMAP_PORT);
    }

    public void setImapPort(Integer v) {
        set(IMAP_PORT, v);
    }

    public String getScope() {
        return (String) get(SCOPE);
    }

    public void setScope(String v) {
        set(SCOPE, v);
    }

    public String getSaslMechanism() {
        return (String) get(SASL_MECHANISM);
    }

    public void setSaslMechanism(String v) {
        set(SASL_MECHANISM, v);
    }

    public Integer getConnectTimeoutMillis() {
        return (Integer) get(CONNECT_TIMEOUT_MILLIS);
    }

    public void setConnectTimeoutMillis(Integer v) {
        set(CONNECT_TIMEOUT_MILLIS, v);
    }

    public Integer getReadTimeoutMillis() {
        return (Integer) get(READ_TIMEOUT_MILLIS);
    }

    public void setReadTimeoutMillis(Integer v) {
        set(READ_TIMEOUT_MILLIS, v);
    }

    public Integer getMaxConnectionsPerMailbox() {
        return (Integer) get(MAX_CONNECTIONS_PER_MAILBOX);
    }

    public void setMaxConnectionsPerMailbox(Integer v) {
        set(MAX_CONNECTIONS_PER_MAILBOX, v);
    }

    public Integer getTokenRenewalMarginSeconds() {
        return (Integer) get(TOKEN_RENEWAL_MARGIN_SECONDS);
    }

    public void setTokenRenewalMarginSeconds(Integer v) {
        set(TOKEN_RENEWAL_MARGIN_SECONDS, v);
    }

    public String getHttpsProxy() {
        return (String) get(HTTPS_PROXY);
    }

    public void setHttpsProxy(String v) {
        set(HTTPS_PROXY, v);
    }

    public String getAuthMode() {
        return (String) get(AUTH_MODE);
    }

    public void setAuthMode(String v) {
        set(AUTH_MODE, v);
    }

    /** Overwrites the secrets in memory. */
    public void wipeSecrets() {
        for (Object v : values.values()) {
            if (v instanceof char[] chars) {
                Arrays.fill(chars, '\0');
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DefinitionInput[name=").append(name);
        for (Map.Entry<MailboxProperty, Object> e : values.entrySet()) {
            sb.append(", ").append(e.getKey().key()).append('=')
                    .append(e.getKey().secret() ? (((char[]) e.getValue()).length == 0 ? "unset" : "********")
                            : e.getValue());
        }
        return sb.append(']').toString();
    }
}
