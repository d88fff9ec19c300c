package org.imapra.config;

import jakarta.resource.spi.ConfigProperty;
import java.io.Serializable;
import java.util.Objects;

/**
 * The mailbox definition as JavaBean config properties, shared by the managed connection factory and (inline
 * definitions) the activation spec. The property names are the public contract (README table). Secrets are held as
 * {@link Secret}; their getters return null (write-only).
 */
public abstract class MailboxProperties implements Serializable {

    private static final long serialVersionUID = 1L;

    private String userName;
    private String tenantId;
    private String clientId;
    private Secret clientSecret;
    private String certificatePath;
    private Secret certificatePassword;
    private String cloud = "GLOBAL";
    private String authorityHost;
    private String imapHost;
    private Integer imapPort = MailboxDefinition.DEFAULT_IMAP_PORT;
    private String scope;
    private String saslMechanism = "XOAUTH2";
    private Integer connectTimeoutMillis = MailboxDefinition.DEFAULT_CONNECT_TIMEOUT_MILLIS;
    private Integer readTimeoutMillis = MailboxDefinition.DEFAULT_READ_TIMEOUT_MILLIS;
    private String httpsProxy;
    private String authMode = "APP_ONLY";

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
        DefinitionBuilder b = MailboxDefinition.builder().name(definitionName()).userName(userName)
                .tenantId(tenantId).clientId(clientId).clientSecret(clientSecret).certificatePath(certificatePath)
                .certificatePassword(certificatePassword).cloud(cloud).authorityHost(authorityHost)
                .imapHost(imapHost).imapPort(imapPort).scope(scope).saslMechanism(saslMechanism)
                .connectTimeoutMillis(connectTimeoutMillis).readTimeoutMillis(readTimeoutMillis)
                .httpsProxy(httpsProxy).authMode(authMode);
        return b.isEmpty() ? null : b.build();
    }

    protected final boolean sameProperties(MailboxProperties o) {
        return Objects.equals(userName, o.userName) && Objects.equals(tenantId, o.tenantId)
                && Objects.equals(clientId, o.clientId) && Objects.equals(clientSecret, o.clientSecret)
                && Objects.equals(certificatePath, o.certificatePath)
                && Objects.equals(certificatePassword, o.certificatePassword) && Objects.equals(cloud, o.cloud)
                && Objects.equals(authorityHost, o.authorityHost) && Objects.equals(imapHost, o.imapHost)
                && Objects.equals(imapPort, o.imapPort) && Objects.equals(scope, o.scope)
                && Objects.equals(saslMechanism, o.saslMechanism)
                && Objects.equals(connectTimeoutMillis, o.connectTimeoutMillis)
                && Objects.equals(readTimeoutMillis, o.readTimeoutMillis) && Objects.equals(httpsProxy, o.httpsProxy)
                && Objects.equals(authMode, o.authMode);
    }

    protected final int propertiesHash() {
        return Objects.hash(userName, tenantId, clientId, imapHost, imapPort, authorityHost);
    }

    public String getUserName() {
        return userName;
    }

    @ConfigProperty(description = "Mailbox address (the user= of XOAUTH2), e.g. support@contoso.com. For a shared "
            + "mailbox, the shared mailbox's address.")
    public void setUserName(String userName) {
        this.userName = userName;
        changed();
    }

    public String getTenantId() {
        return tenantId;
    }

    @ConfigProperty(description = "Directory (tenant) ID GUID or verified domain. Never common/organizations/consumers.")
    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
        changed();
    }

    public String getClientId() {
        return clientId;
    }

    @ConfigProperty(description = "Application (client) ID of the app registration (a GUID).")
    public void setClientId(String clientId) {
        this.clientId = clientId;
        changed();
    }

    /** Write-only: always null. */
    public String getClientSecret() {
        return null;
    }

    @ConfigProperty(description = "Client secret Value (not its Secret ID). Or use certificatePath.", confidential = true)
    public void setClientSecret(String clientSecret) {
        this.clientSecret = Secret.of(clientSecret);
        changed();
    }

    public String getCertificatePath() {
        return certificatePath;
    }

    @ConfigProperty(description = "Certificate credential instead of a secret: a PEM (certificate + PKCS#8 key) or "
            + "PKCS#12 file, sent as a signed client assertion.")
    public void setCertificatePath(String certificatePath) {
        this.certificatePath = certificatePath;
        changed();
    }

    /** Write-only: always null. */
    public String getCertificatePassword() {
        return null;
    }

    @ConfigProperty(description = "Password of the PKCS#12 file or of the encrypted PEM key.", confidential = true)
    public void setCertificatePassword(String certificatePassword) {
        this.certificatePassword = Secret.of(certificatePassword);
        changed();
    }

    public String getCloud() {
        return cloud;
    }

    @ConfigProperty(defaultValue = "GLOBAL", description = "GLOBAL, USGOV, USGOV_DOD or CHINA: sets the authority "
            + "host, IMAP host and scope.")
    public void setCloud(String cloud) {
        this.cloud = cloud;
        changed();
    }

    public String getAuthorityHost() {
        return authorityHost;
    }

    @ConfigProperty(description = "Override of the authority: an https URL, may carry a port, e.g. "
            + "https://login.microsoftonline.com.")
    public void setAuthorityHost(String authorityHost) {
        this.authorityHost = authorityHost;
        changed();
    }

    public String getImapHost() {
        return imapHost;
    }

    @ConfigProperty(description = "Override of the IMAP host, e.g. outlook.office365.com.")
    public void setImapHost(String imapHost) {
        this.imapHost = imapHost;
        changed();
    }

    public Integer getImapPort() {
        return imapPort;
    }

    @ConfigProperty(defaultValue = "993", description = "IMAP over TLS port.")
    public void setImapPort(Integer imapPort) {
        this.imapPort = imapPort;
        changed();
    }

    public String getScope() {
        return scope;
    }

    @ConfigProperty(description = "Override of the token scope, e.g. https://outlook.office365.com/.default.")
    public void setScope(String scope) {
        this.scope = scope;
        changed();
    }

    public String getSaslMechanism() {
        return saslMechanism;
    }

    @ConfigProperty(defaultValue = "XOAUTH2", description = "XOAUTH2 (Exchange Online) or OAUTHBEARER (RFC 7628).")
    public void setSaslMechanism(String saslMechanism) {
        this.saslMechanism = saslMechanism;
        changed();
    }

    public Integer getConnectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    @ConfigProperty(defaultValue = "15000", description = "TCP/TLS connect timeout for IMAP and token requests (ms).")
    public void setConnectTimeoutMillis(Integer connectTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
        changed();
    }

    public Integer getReadTimeoutMillis() {
        return readTimeoutMillis;
    }

    @ConfigProperty(defaultValue = "60000", description = "Read timeout for IMAP responses and token requests (ms).")
    public void setReadTimeoutMillis(Integer readTimeoutMillis) {
        this.readTimeoutMillis = readTimeoutMillis;
        changed();
    }

    public String getAuthMode() {
        return authMode;
    }

    @ConfigProperty(defaultValue = "APP_ONLY", description = "APP_ONLY (client credentials, IMAP.AccessAsApp) or "
            + "DELEGATED (a user of the mailbox signs in once in the console: Connect mailbox; needs mailboxName).")
    public void setAuthMode(String authMode) {
        this.authMode = authMode;
        changed();
    }

    public String getHttpsProxy() {
        return httpsProxy;
    }

    @ConfigProperty(description = "host:port of an HTTPS proxy for token requests. Optional.")
    public void setHttpsProxy(String httpsProxy) {
        this.httpsProxy = httpsProxy;
        changed();
    }
}
