package org.imapra.config;

import static org.imapra.api.admin.MailboxProperty.*;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.imapra.api.admin.MailboxProperty;
import org.imapra.auth.HttpsProxy;

/**
 * Everything needed to reach one mailbox: who (mailbox address), as which app (tenant, client, credential), where
 * (cloud or explicit hosts) and how long to wait. Immutable and always valid: build it with {@link #builder()}.
 * Secrets are {@link Secret}s; {@link #toString()} never shows them.
 */
public final class MailboxDefinition implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    /** Validated values: defaults filled in, choices in their enum spelling, the authority normalized. */
    private final Map<MailboxProperty, Object> values;
    private final Cloud cloud;
    private final SaslMechanism saslMechanism;
    private final AuthMode authMode;
    private final HttpsProxy httpsProxy;
    private final CredentialKind credentialKind;

    MailboxDefinition(String name, Map<MailboxProperty, Object> values, Cloud cloud, SaslMechanism mechanism,
                      AuthMode authMode, HttpsProxy httpsProxy, CredentialKind credentialKind) {
        this.name = name;
        this.values = Collections.unmodifiableMap(new EnumMap<>(values));
        this.cloud = cloud;
        this.saslMechanism = mechanism;
        this.authMode = authMode;
        this.httpsProxy = httpsProxy;
        this.credentialKind = credentialKind;
    }

    public static DefinitionBuilder builder() {
        return new DefinitionBuilder();
    }

    /** A builder holding this definition's values, to derive a changed copy. */
    public DefinitionBuilder toBuilder() {
        return new DefinitionBuilder(name, values);
    }

    /**
     * The value of {@code p} as validated (String, Integer, or {@link Secret}), with its default where it has one;
     * null when not set. The host overrides are null unless set: {@link #imapHost()} etc. give the effective ones.
     */
    public Object value(MailboxProperty p) {
        return values.get(p);
    }

    private String text(MailboxProperty p) {
        return (String) values.get(p);
    }

    private int number(MailboxProperty p) {
        return (Integer) values.get(p);
    }

    /** The name applications use ({@code getConnection("support")}), or null. */
    public String name() {
        return name;
    }

    /** The mailbox address: the {@code user=} of XOAUTH2. */
    public String userName() {
        return text(USER_NAME);
    }

    public String tenantId() {
        return text(TENANT_ID);
    }

    public String clientId() {
        return text(CLIENT_ID);
    }

    /** Null when a certificate is used. */
    public Secret clientSecret() {
        return (Secret) values.get(CLIENT_SECRET);
    }

    /** The certificate file (PEM or PKCS#12), or null. */
    public String certificatePath() {
        return text(CERTIFICATE_PATH);
    }

    /** SECRET, CERTIFICATE or FEDERATED: as {@code credential} says, or the one whose properties are set. */
    public CredentialKind credentialKind() {
        return credentialKind;
    }

    /** The PKCS#12 key store holding the certificate entry {@link #certificateAlias()}, or null. */
    public String certificateKeyStore() {
        return text(CERTIFICATE_KEY_STORE);
    }

    public String certificateAlias() {
        return text(CERTIFICATE_ALIAS);
    }

    /** FEDERATED: the file holding the external OIDC token (re-read for every token request). */
    public String federatedTokenFile() {
        return text(FEDERATED_TOKEN_FILE);
    }

    /** The secret to switch to when Entra refuses {@link #clientSecret()}, or null. */
    public Secret nextClientSecret() {
        return (Secret) values.get(NEXT_CLIENT_SECRET);
    }

    /** The certificate file to switch to when Entra refuses {@link #certificatePath()}'s, or null. */
    public String nextCertificatePath() {
        return text(NEXT_CERTIFICATE_PATH);
    }

    /** The key store entry to switch to when Entra refuses {@link #certificateAlias()}'s, or null. */
    public String nextCertificateAlias() {
        return text(NEXT_CERTIFICATE_ALIAS);
    }

    /** When the client secret expires (start of that day, UTC) as the admin declared it, or null. */
    public java.time.Instant secretExpires() {
        return date(SECRET_EXPIRES);
    }

    /** When the next client secret expires, or null. */
    public java.time.Instant nextSecretExpires() {
        return date(NEXT_SECRET_EXPIRES);
    }

    private java.time.Instant date(MailboxProperty p) {
        String d = text(p);
        return d == null ? null : java.time.LocalDate.parse(d).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    }

    public Secret certificatePassword() {
        return (Secret) values.get(CERTIFICATE_PASSWORD);
    }

    public Cloud cloud() {
        return cloud;
    }

    /** The authority base, e.g. {@code https://login.microsoftonline.com} (no trailing slash; may carry a port). */
    public String authority() {
        String override = authorityHostOverride();
        return override != null ? override : "https://" + cloud.authorityHost();
    }

    /** The tenant-specific authority MSAL is given: {@code https://{authorityHost}/{tenant}/}. */
    public String tenantAuthority() {
        return authority() + "/" + tenantId() + "/";
    }

    /** {@code https://{authorityHost}/{tenant}/oauth2/v2.0/token}: never {@code /common}. */
    public String tokenEndpoint() {
        return tenantAuthority() + "oauth2/v2.0/token";
    }

    /** The explicit authority override, or null. */
    public String authorityHostOverride() {
        return text(AUTHORITY_HOST);
    }

    public String imapHost() {
        String override = imapHostOverride();
        return override != null ? override : cloud.imapHost();
    }

    /** The explicit IMAP host override, or null. */
    public String imapHostOverride() {
        return text(IMAP_HOST);
    }

    public int imapPort() {
        return number(IMAP_PORT);
    }

    public String scope() {
        String override = scopeOverride();
        return override != null ? override : authMode == AuthMode.DELEGATED ? cloud.delegatedScope() : cloud.appOnlyScope();
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
        return text(SCOPE);
    }

    public SaslMechanism saslMechanism() {
        return saslMechanism;
    }

    public int connectTimeoutMillis() {
        return number(CONNECT_TIMEOUT_MILLIS);
    }

    public int readTimeoutMillis() {
        return number(READ_TIMEOUT_MILLIS);
    }

    /** This definition's connection budget for its mailbox, or null: the resource adapter's applies. */
    public Integer maxConnectionsPerMailbox() {
        return (Integer) values.get(MAX_CONNECTIONS_PER_MAILBOX);
    }

    /**
     * How long before its expiry a token is no longer used to authenticate a new connection (seconds), or null: the
     * automatic margin (an eighth of the token's lifetime, at most 5 minutes).
     */
    public Integer tokenRenewalMarginSeconds() {
        return (Integer) values.get(TOKEN_RENEWAL_MARGIN_SECONDS);
    }

    /** The HTTPS proxy for token requests, or null. */
    public HttpsProxy httpsProxy() {
        return httpsProxy;
    }

    /** True when a certificate (signed client assertion) is the credential. */
    public boolean usesCertificate() {
        return credentialKind == CredentialKind.CERTIFICATE;
    }

    /**
     * Why the credential cannot be used as it stands (the certificate file is missing or unreadable), or empty. A
     * definition read from the store is not refused for this: it is shown in the list and fails when used.
     */
    public java.util.Optional<String> credentialProblem() {
        if (credentialKind == CredentialKind.FEDERATED) {
            return CredentialFiles.tokenFileProblem(federatedTokenFile()).map(Problem::message);
        }
        if (!usesCertificate()) {
            return java.util.Optional.empty();
        }
        return certificatePath() != null ? CredentialFiles.certificateProblem(certificatePath()).map(Problem::message)
                : CredentialFiles.keyStoreProblem(certificateKeyStore(), certificatePassword(), certificateAlias(),
                nextCertificateAlias()).map(Problem::message);
    }

    /** Identifies the mailbox and the app, ignoring timeouts and credential: "support@contoso.com via 7f3c…/contoso.com". */
    public String describe() {
        return userName() + " (tenant " + tenantId() + ", client " + clientId() + ", " + imapHost() + ":" + imapPort()
                + ")";
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof MailboxDefinition d && Objects.equals(name, d.name) && values.equals(d.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userName(), tenantId(), clientId(), imapHost(), imapPort());
    }

    /** Every property (secrets as {@code ********}), the effective hosts and scope. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("MailboxDefinition[name=").append(name);
        values.forEach((p, v) -> sb.append(", ").append(p.key()).append('=').append(v)); // Secret: ********
        return sb.append(", authority=").append(authority()).append(", imap=").append(imapHost()).append(':')
                .append(imapPort()).append(", scope=").append(scope()).append(']').toString();
    }
}
