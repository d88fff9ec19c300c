package org.imapra.config;

/**
 * Collects the raw values of a mailbox definition (as config properties, the console or tests give them) and turns
 * them into a valid {@link MailboxDefinition}, or an {@link InvalidDefinitionException} listing every problem.
 * Surrounding white space is removed from plain values; blank means "not set". Secrets are taken as given.
 */
public final class DefinitionBuilder {

    String name;
    String userName;
    String tenantId;
    String clientId;
    Secret clientSecret;
    String certificatePath;
    Secret certificatePassword;
    String cloud;
    String authorityHost;
    String imapHost;
    Integer imapPort;
    String scope;
    String saslMechanism;
    Integer connectTimeoutMillis;
    Integer readTimeoutMillis;
    String httpsProxy;
    String authMode;

    DefinitionBuilder() {
    }

    static DefinitionBuilder from(MailboxDefinition d) {
        DefinitionBuilder b = new DefinitionBuilder();
        b.name = d.name();
        b.userName = d.userName();
        b.tenantId = d.tenantId();
        b.clientId = d.clientId();
        b.clientSecret = d.clientSecret();
        b.certificatePath = d.certificatePath();
        b.certificatePassword = d.certificatePassword();
        b.cloud = d.cloud().name();
        b.authorityHost = d.authorityHostOverride();
        b.imapHost = d.imapHostOverride();
        b.imapPort = d.imapPort();
        b.scope = d.scopeOverride();
        b.saslMechanism = d.saslMechanism().name();
        b.connectTimeoutMillis = d.connectTimeoutMillis();
        b.readTimeoutMillis = d.readTimeoutMillis();
        b.httpsProxy = d.httpsProxy();
        b.authMode = d.authMode().name();
        return b;
    }

    private static String clean(String value) {
        if (value == null) {
            return null;
        }
        String t = value.strip();
        return t.isEmpty() ? null : t;
    }

    public DefinitionBuilder name(String v) {
        name = clean(v);
        return this;
    }

    public DefinitionBuilder userName(String v) {
        userName = clean(v);
        return this;
    }

    public DefinitionBuilder tenantId(String v) {
        tenantId = clean(v);
        return this;
    }

    public DefinitionBuilder clientId(String v) {
        clientId = clean(v);
        return this;
    }

    public DefinitionBuilder clientSecret(String v) {
        clientSecret = Secret.of(v);
        return this;
    }

    public DefinitionBuilder clientSecret(Secret v) {
        clientSecret = v;
        return this;
    }

    public DefinitionBuilder certificatePath(String v) {
        certificatePath = clean(v);
        return this;
    }

    public DefinitionBuilder certificatePassword(String v) {
        certificatePassword = Secret.of(v);
        return this;
    }

    public DefinitionBuilder certificatePassword(Secret v) {
        certificatePassword = v;
        return this;
    }

    public DefinitionBuilder cloud(String v) {
        cloud = clean(v);
        return this;
    }

    public DefinitionBuilder authorityHost(String v) {
        authorityHost = clean(v);
        return this;
    }

    public DefinitionBuilder imapHost(String v) {
        imapHost = clean(v);
        return this;
    }

    public DefinitionBuilder imapPort(Integer v) {
        imapPort = v;
        return this;
    }

    public DefinitionBuilder scope(String v) {
        scope = clean(v);
        return this;
    }

    public DefinitionBuilder saslMechanism(String v) {
        saslMechanism = clean(v);
        return this;
    }

    public DefinitionBuilder connectTimeoutMillis(Integer v) {
        connectTimeoutMillis = v;
        return this;
    }

    public DefinitionBuilder readTimeoutMillis(Integer v) {
        readTimeoutMillis = v;
        return this;
    }

    public DefinitionBuilder httpsProxy(String v) {
        httpsProxy = clean(v);
        return this;
    }

    /** APP_ONLY (default) or DELEGATED. */
    public DefinitionBuilder authMode(String v) {
        authMode = clean(v);
        return this;
    }

    /** True when none of the identifying values (mailbox, tenant, client) is set. */
    public boolean isEmpty() {
        return userName == null && tenantId == null && clientId == null;
    }

    /**
     * @throws InvalidDefinitionException listing every problem, each naming its property
     */
    public MailboxDefinition build() {
        DefinitionValidator v = new DefinitionValidator(this);
        return v.toDefinition();
    }
}
