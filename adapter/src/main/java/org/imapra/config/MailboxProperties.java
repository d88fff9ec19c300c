package org.imapra.config;

import static org.imapra.api.admin.MailboxProperty.*;

import jakarta.resource.spi.ConfigProperty;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.imapra.api.admin.MailboxProperty;
import org.imapra.api.admin.MailboxProperty.Defaults;

/**
 * The mailbox definition as JavaBean config properties, shared by the managed connection factory and (inline
 * definitions) the activation spec. The property names are the public contract (README table). Secrets are held as
 * {@link Secret}; their getters return null (write-only).
 */
public abstract class MailboxProperties implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The values as set (String, Integer, or {@link Secret}); the defaults until a setter changes them. */
    private final Map<MailboxProperty, Object> values = new EnumMap<>(MailboxProperty.class);

    protected MailboxProperties() {
        for (MailboxProperty p : MailboxProperty.values()) {
            if (p.defaultValue() != null) {
                values.put(p, p.defaultValue());
            }
        }
    }

    /** Bumped by every setter: {@link #defaultDefinition()} reuses its last result only for the same version. */
    private transient volatile int version;
    private transient volatile Built built;

    private record Built(int version, MailboxDefinition definition) {
    }

    /** The name the built definition carries, or null. */
    protected abstract String definitionName();

    /**
     * The definition these properties describe, or null when none of userName, tenantId and clientId is set.
     *
     * @throws InvalidDefinitionException listing every problem
     */
    public MailboxDefinition defaultDefinition() {
        // validated once per set of values, not on every getConnection(): the checks parse URIs and run regexes
        Built last = built;
        int v = version;
        if (last != null && last.version() == v) {
            return last.definition();
        }
        MailboxDefinition d = buildDefinition();
        built = new Built(v, d);
        return d;
    }

    /** A property changed: the next {@link #defaultDefinition()} validates again. Subclasses' setters call it too. */
    protected final synchronized void changed() { // synchronized: no lost update
        version++;
    }

    private MailboxDefinition buildDefinition() {
        DefinitionBuilder b = MailboxDefinition.builder().name(definitionName());
        values.forEach(b::set);
        return b.isEmpty() ? null : b.build();
    }

    /** Sets a property (null clears it) and marks the properties changed. */
    private void set(MailboxProperty p, Object value) {
        if (value == null) {
            values.remove(p);
        } else {
            values.put(p, value);
        }
        changed();
    }

    protected final boolean sameProperties(MailboxProperties o) {
        return values.equals(o.values);
    }

    protected final int propertiesHash() {
        return Objects.hash(values.get(USER_NAME), values.get(TENANT_ID), values.get(CLIENT_ID),
                values.get(IMAP_HOST), values.get(IMAP_PORT), values.get(AUTHORITY_HOST));
    }

    public String getUserName() {
        return (String) values.get(USER_NAME);
    }

    @ConfigProperty(description = "Mailbox address (the user= of XOAUTH2), e.g. support@contoso.com. For a shared "
            + "mailbox, the shared mailbox's address.")
    public void setUserName(String userName) {
        set(USER_NAME, userName);
    }

    public String getTenantId() {
        return (String) values.get(TENANT_ID);
    }

    @ConfigProperty(description = "Directory (tenant) ID GUID or verified domain. Never common/organizations/consumers.")
    public void setTenantId(String tenantId) {
        set(TENANT_ID, tenantId);
    }

    public String getClientId() {
        return (String) values.get(CLIENT_ID);
    }

    @ConfigProperty(description = "Application (client) ID of the app registration (a GUID).")
    public void setClientId(String clientId) {
        set(CLIENT_ID, clientId);
    }

    /** Write-only: always null. */
    public String getClientSecret() {
        return null;
    }

    @ConfigProperty(description = "Client secret Value (not its Secret ID). Or use certificatePath.", confidential = true)
    public void setClientSecret(String clientSecret) {
        set(CLIENT_SECRET, Secret.of(clientSecret));
    }

    public String getCertificatePath() {
        return (String) values.get(CERTIFICATE_PATH);
    }

    @ConfigProperty(description = "Certificate credential instead of a secret: a PEM (certificate + PKCS#8 key) or "
            + "PKCS#12 file, sent as a signed client assertion.")
    public void setCertificatePath(String certificatePath) {
        set(CERTIFICATE_PATH, certificatePath);
    }

    /** Write-only: always null. */
    public String getCertificatePassword() {
        return null;
    }

    @ConfigProperty(description = "Password of the PKCS#12 file or of the encrypted PEM key.", confidential = true)
    public void setCertificatePassword(String certificatePassword) {
        set(CERTIFICATE_PASSWORD, Secret.of(certificatePassword));
    }

    public String getCredential() {
        return (String) values.get(CREDENTIAL);
    }

    @ConfigProperty(description = "SECRET, CERTIFICATE or FEDERATED; empty: the one whose properties are set.")
    public void setCredential(String credential) {
        set(CREDENTIAL, credential);
    }

    public String getCertificateKeyStore() {
        return (String) values.get(CERTIFICATE_KEY_STORE);
    }

    @ConfigProperty(description = "A PKCS#12 key store holding the certificate entry certificateAlias (password: certificatePassword).")
    public void setCertificateKeyStore(String certificateKeyStore) {
        set(CERTIFICATE_KEY_STORE, certificateKeyStore);
    }

    public String getCertificateAlias() {
        return (String) values.get(CERTIFICATE_ALIAS);
    }

    @ConfigProperty(description = "The alias of the key entry in certificateKeyStore.")
    public void setCertificateAlias(String certificateAlias) {
        set(CERTIFICATE_ALIAS, certificateAlias);
    }

    public String getFederatedTokenFile() {
        return (String) values.get(FEDERATED_TOKEN_FILE);
    }

    @ConfigProperty(description = "credential FEDERATED: the file holding the external OIDC token (default: AZURE_FEDERATED_TOKEN_FILE), re-read for every token request.")
    public void setFederatedTokenFile(String federatedTokenFile) {
        set(FEDERATED_TOKEN_FILE, federatedTokenFile);
    }

    /** Write-only: always null. */
    public String getNextClientSecret() {
        return null;
    }

    @ConfigProperty(description = "The next client secret: used when Entra ID refuses clientSecret as expired or invalid.", confidential = true)
    public void setNextClientSecret(String nextClientSecret) {
        set(NEXT_CLIENT_SECRET, Secret.of(nextClientSecret));
    }

    public String getNextCertificatePath() {
        return (String) values.get(NEXT_CERTIFICATE_PATH);
    }

    @ConfigProperty(description = "The next certificate file: used when Entra ID refuses certificatePath's certificate.")
    public void setNextCertificatePath(String nextCertificatePath) {
        set(NEXT_CERTIFICATE_PATH, nextCertificatePath);
    }

    public String getNextCertificateAlias() {
        return (String) values.get(NEXT_CERTIFICATE_ALIAS);
    }

    @ConfigProperty(description = "The next key entry in certificateKeyStore: used when Entra ID refuses certificateAlias's certificate.")
    public void setNextCertificateAlias(String nextCertificateAlias) {
        set(NEXT_CERTIFICATE_ALIAS, nextCertificateAlias);
    }

    public String getSecretExpires() {
        return (String) values.get(SECRET_EXPIRES);
    }

    @ConfigProperty(description = "When clientSecret expires (yyyy-MM-dd, from the portal): ping warns 30 days before.")
    public void setSecretExpires(String secretExpires) {
        set(SECRET_EXPIRES, secretExpires);
    }

    public String getNextSecretExpires() {
        return (String) values.get(NEXT_SECRET_EXPIRES);
    }

    @ConfigProperty(description = "When nextClientSecret expires (yyyy-MM-dd).")
    public void setNextSecretExpires(String nextSecretExpires) {
        set(NEXT_SECRET_EXPIRES, nextSecretExpires);
    }

    public String getCloud() {
        return (String) values.get(CLOUD);
    }

    @ConfigProperty(defaultValue = Defaults.CLOUD, description = "GLOBAL, USGOV, USGOV_DOD or CHINA: sets the authority "
            + "host, IMAP host and scope.")
    public void setCloud(String cloud) {
        set(CLOUD, cloud);
    }

    public String getAuthorityHost() {
        return (String) values.get(AUTHORITY_HOST);
    }

    @ConfigProperty(description = "Override of the authority: an https URL, may carry a port, e.g. "
            + "https://login.microsoftonline.com.")
    public void setAuthorityHost(String authorityHost) {
        set(AUTHORITY_HOST, authorityHost);
    }

    public String getImapHost() {
        return (String) values.get(IMAP_HOST);
    }

    @ConfigProperty(description = "Override of the IMAP host, e.g. outlook.office365.com.")
    public void setImapHost(String imapHost) {
        set(IMAP_HOST, imapHost);
    }

    public Integer getImapPort() {
        return (Integer) values.get(IMAP_PORT);
    }

    @ConfigProperty(defaultValue = Defaults.IMAP_PORT, description = "IMAP over TLS port.")
    public void setImapPort(Integer imapPort) {
        set(IMAP_PORT, imapPort);
    }

    public String getScope() {
        return (String) values.get(SCOPE);
    }

    @ConfigProperty(description = "Override of the token scope, e.g. https://outlook.office365.com/.default.")
    public void setScope(String scope) {
        set(SCOPE, scope);
    }

    public String getSaslMechanism() {
        return (String) values.get(SASL_MECHANISM);
    }

    @ConfigProperty(defaultValue = Defaults.SASL_MECHANISM, description = "XOAUTH2 (Exchange Online) or OAUTHBEARER (RFC 7628).")
    public void setSaslMechanism(String saslMechanism) {
        set(SASL_MECHANISM, saslMechanism);
    }

    public Integer getConnectTimeoutMillis() {
        return (Integer) values.get(CONNECT_TIMEOUT_MILLIS);
    }

    @ConfigProperty(defaultValue = Defaults.CONNECT_TIMEOUT_MILLIS, description = "TCP/TLS connect timeout for IMAP and token requests (ms).")
    public void setConnectTimeoutMillis(Integer connectTimeoutMillis) {
        set(CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
    }

    public Integer getReadTimeoutMillis() {
        return (Integer) values.get(READ_TIMEOUT_MILLIS);
    }

    @ConfigProperty(defaultValue = Defaults.READ_TIMEOUT_MILLIS, description = "Read timeout for IMAP responses and token requests (ms).")
    public void setReadTimeoutMillis(Integer readTimeoutMillis) {
        set(READ_TIMEOUT_MILLIS, readTimeoutMillis);
    }

    public Integer getMaxConnectionsPerMailbox() {
        return (Integer) values.get(MAX_CONNECTIONS_PER_MAILBOX);
    }

    @ConfigProperty(description = "IMAP connections this definition's mailbox may have open at once in this resource "
            + "adapter, connection factories and activations together. Default: the resource adapter's "
            + "maxConnectionsPerMailbox (16).")
    public void setMaxConnectionsPerMailbox(Integer maxConnectionsPerMailbox) {
        set(MAX_CONNECTIONS_PER_MAILBOX, maxConnectionsPerMailbox);
    }

    public String getAuthMode() {
        return (String) values.get(AUTH_MODE);
    }

    @ConfigProperty(defaultValue = Defaults.AUTH_MODE, description = "APP_ONLY (client credentials, IMAP.AccessAsApp) or "
            + "DELEGATED (a user of the mailbox signs in once in the console: Connect mailbox; needs mailboxName).")
    public void setAuthMode(String authMode) {
        set(AUTH_MODE, authMode);
    }

    public String getHttpsProxy() {
        return (String) values.get(HTTPS_PROXY);
    }

    @ConfigProperty(description = "host:port of an HTTPS proxy for token requests. Optional.")
    public void setHttpsProxy(String httpsProxy) {
        set(HTTPS_PROXY, httpsProxy);
    }
}
