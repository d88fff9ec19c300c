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

    // The @ConfigProperty annotations sit on these fields, not on the setters: Open Liberty reads a superclass's
    // annotated setters twice (once through the subclass, once through this class) and warns J2CA9918W for each.
    // The fields are never assigned; the setters below keep the values (secrets as Secret) and every server calls
    // them. ConfigPropertyFieldsTest checks that each MailboxProperty has its field.
    @ConfigProperty(description = "Mailbox address (the user= of XOAUTH2), e.g. support@contoso.com. For a shared "
            + "mailbox, the shared mailbox's address.")
    private transient String userName;
    @ConfigProperty(description = "Directory (tenant) ID GUID or verified domain. Never common/organizations/consumers.")
    private transient String tenantId;
    @ConfigProperty(description = "Application (client) ID of the app registration (a GUID).")
    private transient String clientId;
    @ConfigProperty(description = "Client secret Value (not its Secret ID). Or use certificatePath.", confidential = true)
    private transient String clientSecret;
    @ConfigProperty(description = "Certificate credential instead of a secret: a PEM (certificate + PKCS#8 key) or "
            + "PKCS#12 file, sent as a signed client assertion.")
    private transient String certificatePath;
    @ConfigProperty(description = "Password of the PKCS#12 file or of the encrypted PEM key.", confidential = true)
    private transient String certificatePassword;
    @ConfigProperty(defaultValue = Defaults.CLOUD, description = "GLOBAL, USGOV, USGOV_DOD or CHINA: sets the authority "
            + "host, IMAP host and scope.")
    private transient String cloud;
    @ConfigProperty(description = "Override of the authority: an https URL, may carry a port, e.g. "
            + "https://login.microsoftonline.com.")
    private transient String authorityHost;
    @ConfigProperty(description = "Override of the IMAP host, e.g. outlook.office365.com.")
    private transient String imapHost;
    @ConfigProperty(defaultValue = Defaults.IMAP_PORT, description = "IMAP over TLS port.")
    private transient Integer imapPort;
    @ConfigProperty(description = "Override of the token scope, e.g. https://outlook.office365.com/.default.")
    private transient String scope;
    @ConfigProperty(defaultValue = Defaults.SASL_MECHANISM, description = "XOAUTH2 (Exchange Online) or OAUTHBEARER (RFC 7628).")
    private transient String saslMechanism;
    @ConfigProperty(defaultValue = Defaults.CONNECT_TIMEOUT_MILLIS, description = "TCP/TLS connect timeout for IMAP and token requests (ms).")
    private transient Integer connectTimeoutMillis;
    @ConfigProperty(defaultValue = Defaults.READ_TIMEOUT_MILLIS, description = "Read timeout for IMAP responses and token requests (ms).")
    private transient Integer readTimeoutMillis;
    @ConfigProperty(description = "IMAP connections this definition's mailbox may have open at once in this resource "
            + "adapter, connection factories and activations together. Default: the resource adapter's "
            + "maxConnectionsPerMailbox (16).")
    private transient Integer maxConnectionsPerMailbox;
    @ConfigProperty(description = "Seconds before a token's expiry from which it no longer authenticates a new "
            + "connection (connections using it are replaced; a new token is requested 5 minutes earlier), for "
            + "servers that refuse tokens as expiring soon. Default: an eighth of the token's lifetime, at most 300.")
    private transient Integer tokenRenewalMarginSeconds;
    @ConfigProperty(defaultValue = Defaults.AUTH_MODE, description = "APP_ONLY (client credentials, IMAP.AccessAsApp) or "
            + "DELEGATED (a user of the mailbox signs in once in the console: Connect mailbox; needs mailboxName).")
    private transient String authMode;
    @ConfigProperty(description = "host:port of an HTTPS proxy for token requests. Optional.")
    private transient String httpsProxy;
    @ConfigProperty(description = "SECRET, CERTIFICATE or FEDERATED; empty: the one whose properties are set.")
    private transient String credential;
    @ConfigProperty(description = "A PKCS#12 key store holding the certificate entry certificateAlias (password: certificatePassword).")
    private transient String certificateKeyStore;
    @ConfigProperty(description = "The alias of the key entry in certificateKeyStore.")
    private transient String certificateAlias;
    @ConfigProperty(description = "credential FEDERATED: the file holding the external OIDC token (default: AZURE_FEDERATED_TOKEN_FILE), re-read for every token request.")
    private transient String federatedTokenFile;
    @ConfigProperty(description = "The next client secret: used when Entra ID refuses clientSecret as expired or invalid.", confidential = true)
    private transient String nextClientSecret;
    @ConfigProperty(description = "The next certificate file: used when Entra ID refuses certificatePath's certificate.")
    private transient String nextCertificatePath;
    @ConfigProperty(description = "The next key entry in certificateKeyStore: used when Entra ID refuses certificateAlias's certificate.")
    private transient String nextCertificateAlias;
    @ConfigProperty(description = "When clientSecret expires (yyyy-MM-dd, from the portal): ping warns 30 days before.")
    private transient String secretExpires;
    @ConfigProperty(description = "When nextClientSecret expires (yyyy-MM-dd).")
    private transient String nextSecretExpires;

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

    public void setUserName(String userName) {
        set(USER_NAME, userName);
    }

    public String getTenantId() {
        return (String) values.get(TENANT_ID);
    }

    public void setTenantId(String tenantId) {
        set(TENANT_ID, tenantId);
    }

    public String getClientId() {
        return (String) values.get(CLIENT_ID);
    }

    public void setClientId(String clientId) {
        set(CLIENT_ID, clientId);
    }

    /** Write-only: always null. */
    public String getClientSecret() {
        return null;
    }

    public void setClientSecret(String clientSecret) {
        set(CLIENT_SECRET, Secret.of(clientSecret));
    }

    public String getCertificatePath() {
        return (String) values.get(CERTIFICATE_PATH);
    }

    public void setCertificatePath(String certificatePath) {
        set(CERTIFICATE_PATH, certificatePath);
    }

    /** Write-only: always null. */
    public String getCertificatePassword() {
        return null;
    }

    public void setCertificatePassword(String certificatePassword) {
        set(CERTIFICATE_PASSWORD, Secret.of(certificatePassword));
    }

    public String getCredential() {
        return (String) values.get(CREDENTIAL);
    }

    public void setCredential(String credential) {
        set(CREDENTIAL, credential);
    }

    public String getCertificateKeyStore() {
        return (String) values.get(CERTIFICATE_KEY_STORE);
    }

    public void setCertificateKeyStore(String certificateKeyStore) {
        set(CERTIFICATE_KEY_STORE, certificateKeyStore);
    }

    public String getCertificateAlias() {
        return (String) values.get(CERTIFICATE_ALIAS);
    }

    public void setCertificateAlias(String certificateAlias) {
        set(CERTIFICATE_ALIAS, certificateAlias);
    }

    public String getFederatedTokenFile() {
        return (String) values.get(FEDERATED_TOKEN_FILE);
    }

    public void setFederatedTokenFile(String federatedTokenFile) {
        set(FEDERATED_TOKEN_FILE, federatedTokenFile);
    }

    /** Write-only: always null. */
    public String getNextClientSecret() {
        return null;
    }

    public void setNextClientSecret(String nextClientSecret) {
        set(NEXT_CLIENT_SECRET, Secret.of(nextClientSecret));
    }

    public String getNextCertificatePath() {
        return (String) values.get(NEXT_CERTIFICATE_PATH);
    }

    public void setNextCertificatePath(String nextCertificatePath) {
        set(NEXT_CERTIFICATE_PATH, nextCertificatePath);
    }

    public String getNextCertificateAlias() {
        return (String) values.get(NEXT_CERTIFICATE_ALIAS);
    }

    public void setNextCertificateAlias(String nextCertificateAlias) {
        set(NEXT_CERTIFICATE_ALIAS, nextCertificateAlias);
    }

    public String getSecretExpires() {
        return (String) values.get(SECRET_EXPIRES);
    }

    public void setSecretExpires(String secretExpires) {
        set(SECRET_EXPIRES, secretExpires);
    }

    public String getNextSecretExpires() {
        return (String) values.get(NEXT_SECRET_EXPIRES);
    }

    public void setNextSecretExpires(String nextSecretExpires) {
        set(NEXT_SECRET_EXPIRES, nextSecretExpires);
    }

    public String getCloud() {
        return (String) values.get(CLOUD);
    }

    public void setCloud(String cloud) {
        set(CLOUD, cloud);
    }

    public String getAuthorityHost() {
        return (String) values.get(AUTHORITY_HOST);
    }

    public void setAuthorityHost(String authorityHost) {
        set(AUTHORITY_HOST, authorityHost);
    }

    public String getImapHost() {
        return (String) values.get(IMAP_HOST);
    }

    public void setImapHost(String imapHost) {
        set(IMAP_HOST, imapHost);
    }

    public Integer getImapPort() {
        return (Integer) values.get(IMAP_PORT);
    }

    public void setImapPort(Integer imapPort) {
        set(IMAP_PORT, imapPort);
    }

    public String getScope() {
        return (String) values.get(SCOPE);
    }

    public void setScope(String scope) {
        set(SCOPE, scope);
    }

    public String getSaslMechanism() {
        return (String) values.get(SASL_MECHANISM);
    }

    public void setSaslMechanism(String saslMechanism) {
        set(SASL_MECHANISM, saslMechanism);
    }

    public Integer getConnectTimeoutMillis() {
        return (Integer) values.get(CONNECT_TIMEOUT_MILLIS);
    }

    public void setConnectTimeoutMillis(Integer connectTimeoutMillis) {
        set(CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
    }

    public Integer getReadTimeoutMillis() {
        return (Integer) values.get(READ_TIMEOUT_MILLIS);
    }

    public void setReadTimeoutMillis(Integer readTimeoutMillis) {
        set(READ_TIMEOUT_MILLIS, readTimeoutMillis);
    }

    public Integer getMaxConnectionsPerMailbox() {
        return (Integer) values.get(MAX_CONNECTIONS_PER_MAILBOX);
    }

    public void setMaxConnectionsPerMailbox(Integer maxConnectionsPerMailbox) {
        set(MAX_CONNECTIONS_PER_MAILBOX, maxConnectionsPerMailbox);
    }

    public Integer getTokenRenewalMarginSeconds() {
        return (Integer) values.get(TOKEN_RENEWAL_MARGIN_SECONDS);
    }

    public void setTokenRenewalMarginSeconds(Integer tokenRenewalMarginSeconds) {
        set(TOKEN_RENEWAL_MARGIN_SECONDS, tokenRenewalMarginSeconds);
    }

    public String getAuthMode() {
        return (String) values.get(AUTH_MODE);
    }

    public void setAuthMode(String authMode) {
        set(AUTH_MODE, authMode);
    }

    public String getHttpsProxy() {
        return (String) values.get(HTTPS_PROXY);
    }

    public void setHttpsProxy(String httpsProxy) {
        set(HTTPS_PROXY, httpsProxy);
    }
}
