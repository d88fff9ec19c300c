package org.imapra.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * Everything needed to reach one mailbox: who (mailbox address), as which app (tenant, client, credential), where
 * (cloud or explicit hosts) and how long to wait. Immutable and always valid: build it with {@link #builder()}.
 * Secrets are {@link Secret}s; {@link #toString()} never shows them.
 */
public final class MailboxDefinition implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_IMAP_PORT = 993;
    public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 15_000;
    public static final int DEFAULT_READ_TIMEOUT_MILLIS = 60_000;

    private final String name;
    private final String userName;
    private final String tenantId;
    private final String clientId;
    private final Secret clientSecret;
    private final String certificatePath;
    private final Secret certificatePassword;
    private final Cloud cloud;
    private final String authorityHost;
    private final String imapHost;
    private final int imapPort;
    private final String scope;
    private final SaslMechanism saslMechanism;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final String httpsProxy;
    private final AuthMode authMode;

    MailboxDefinition(DefinitionBuilder b, Cloud cloud, SaslMechanism mechanism, String authorityHost,
                      AuthMode authMode) {
        this.authMode = authMode;
        this.name = b.name;
        this.userName = b.userName;
        this.tenantId = b.tenantId;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.certificatePath = b.certificatePath;
        this.certificatePassword = b.certificatePassword;
        this.cloud = cloud;
        this.authorityHost = authorityHost;
        this.imapHost = b.imapHost;
        this.imapPort = b.imapPort == null ? DEFAULT_IMAP_PORT : b.imapPort;
        this.scope = b.scope;
        this.saslMechanism = mechanism;
        this.connectTimeoutMillis = b.connectTimeoutMillis == null ? DEFAULT_CONNECT_TIMEOUT_MILLIS : b.connectTimeoutMillis;
        this.readTimeoutMillis = b.readTimeoutMillis == null ? DEFAULT_READ_TIMEOUT_MILLIS : b.readTimeoutMillis;
        this.httpsProxy = b.httpsProxy;
    }

    public static DefinitionBuilder builder() {
        return new DefinitionBuilder();
    }

    /** A builder holding this definition's values, to derive a changed copy. */
    public DefinitionBuilder toBuilder() {
        return DefinitionBuilder.from(this);
    }

    /** The name applications use ({@code getConnection("support")}), or null. */
    public String name() {
        return name;
    }

    /** The mailbox address: the {@code user=} of XOAUTH2. */
    public String userName() {
        return userName;
    }

    public String tenantId() {
        return tenantId;
    }

    public String clientId() {
        return clientId;
    }

    /** Null when a certificate is used. */
    public Secret clientSecret() {
        return clientSecret;
    }

    /** Null when a client secret is used. */
    public String certificatePath() {
        return certificatePath;
    }

    public Secret certificatePassword() {
        return certificatePassword;
    }

    public Cloud cloud() {
        return cloud;
    }

    /** The authority base, e.g. {@code https://login.microsoftonline.com} (no trailing slash; may carry a port). */
    public String authority() {
        return authorityHost != null ? authorityHost : "https://" + cloud.authorityHost();
    }

    /** The tenant-specific authority MSAL is given: {@code https://{authorityHost}/{tenant}/}. */
    public String tenantAuthority() {
        return authority() + "/" + tenantId + "/";
    }

    /** {@code https://{authorityHost}/{tenant}/oauth2/v2.0/token}: never {@code /common}. */
    public String tokenEndpoint() {
        return tenantAuthority() + "oauth2/v2.0/token";
    }

    /** The explicit authority override, or null. */
    public String authorityHostOverride() {
        return authorityHost;
    }

    public String imapHost() {
        return imapHost != null ? imapHost : cloud.imapHost();
    }

    /** The explicit IMAP host override, or null. */
    public String imapHostOverride() {
        return imapHost;
    }

    public int imapPort() {
        return imapPort;
    }

    public String scope() {
        return scope != null ? scope : authMode == AuthMode.DELEGATED ? cloud.delegatedScope() : cloud.appOnlyScope();
    }

    /** APP_ONLY (client credentials) or DELEGATED (a user signed in through the console). */
    public AuthMode authMode() {
        return authMode;
    }

    /** True for {@link AuthMode#DELEGATED}. */
    public boolean delegated() {
        return authMode == AuthMode.DELEGATED;
    }

    /** {@code https://{authorityHost}/{tenant}/oauth2/v2.0/authorize}: never {@code /common}. */
    public String authorizeEndpoint() {
        return tenantAuthority() + "oauth2/v2.0/authorize";
    }

    /** The explicit scope override, or null. */
    public String scopeOverride() {
        return scope;
    }

    public SaslMechanism saslMechanism() {
        return saslMechanism;
    }

    public int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public int readTimeoutMillis() {
        return readTimeoutMillis;
    }

    /** {@code host:port} of the HTTPS proxy for token requests, or null. */
    public String httpsProxy() {
        return httpsProxy;
    }

    /** True when a certificate (signed client assertion) is the credential. */
    public boolean usesCertificate() {
        return certificatePath != null;
    }

    /** Identifies the mailbox and the app, ignoring timeouts and credential: "support@contoso.com via 7f3c…/contoso.com". */
    public String describe() {
        return userName + " (tenant " + tenantId + ", client " + clientId + ", " + imapHost() + ":" + imapPort + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MailboxDefinition d)) {
            return false;
        }
        return imapPort == d.imapPort && connectTimeoutMillis == d.connectTimeoutMillis
                && readTimeoutMillis == d.readTimeoutMillis && Objects.equals(name, d.name)
                && userName.equals(d.userName) && tenantId.equals(d.tenantId) && clientId.equals(d.clientId)
                && Objects.equals(clientSecret, d.clientSecret) && Objects.equals(certificatePath, d.certificatePath)
                && Objects.equals(certificatePassword, d.certificatePassword) && cloud == d.cloud
                && Objects.equals(authorityHost, d.authorityHost) && Objects.equals(imapHost, d.imapHost)
                && Objects.equals(scope, d.scope) && saslMechanism == d.saslMechanism
                && Objects.equals(httpsProxy, d.httpsProxy) && authMode == d.authMode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(userName, tenantId, clientId, imapHost(), imapPort);
    }

    @Override
    public String toString() {
        return "MailboxDefinition[name=" + name + ", userName=" + userName + ", tenantId=" + tenantId
                + ", clientId=" + clientId + ", authMode=" + authMode + ", credential="
                + (usesCertificate() ? "certificate " + certificatePath : "clientSecret ********")
                + ", cloud=" + cloud + ", authority=" + authority() + ", imap=" + imapHost() + ":" + imapPort
                + ", scope=" + scope() + ", sasl=" + saslMechanism + ", connectTimeoutMillis=" + connectTimeoutMillis
                + ", readTimeoutMillis=" + readTimeoutMillis + ", httpsProxy=" + httpsProxy + "]";
    }
}
