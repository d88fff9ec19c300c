package org.imapra.standin;

import java.util.ArrayList;
import java.util.List;

/**
 * A local Microsoft 365 for tests and sandboxes: an Entra ID token endpoint ({@link #tokens()}) and Exchange Online
 * IMAP ({@link #mailServer()}), both TLS on loopback with {@link LocalCertificates#jvm()}.
 *
 * <p>{@link Builder#start()} calls {@link LocalCertificates#trustInThisJvm()}, so that Angus Mail, MSAL4J and other
 * default-TLS clients in this JVM trust the stand-in with hostname verification on. Start it before any other TLS
 * use in the JVM: clients created earlier may keep the previous default trust.
 *
 * <pre>{@code
 * try (LocalM365 m365 = LocalM365.startDefault()) {
 *     String authority = m365.authorityHost() + "/" + LocalM365.DEFAULT_TENANT_ID;
 *     // IMAPS: host m365.imapHost(), port m365.imapsPort(), XOAUTH2 with a token from m365.tokenEndpoint()
 * }
 * }</pre>
 */
public final class LocalM365 implements AutoCloseable {
    public static final String DEFAULT_TENANT_ID = "0b6d2f4e-3c1a-4e8b-9f7d-2a5c8e1b4d60";
    public static final String DEFAULT_DOMAIN = "contoso.example";
    public static final String DEFAULT_CLIENT_ID = "7f3c9a21-5b8e-4d2f-a6c1-9e0b3d4f5a72";
    public static final String DEFAULT_CLIENT_SECRET = "Zq8~xY3.kP9-sT4_mN7vB2cR6wL1jH5gF0dE";
    public static final String DEFAULT_MAILBOX = "support@contoso.example";
    /** The delegated scopes for IMAP with a refresh token. */
    public static final String DELEGATED_IMAP_SCOPE = "https://outlook.office.com/IMAP.AccessAsUser.All offline_access";
    /** The app-only scope for Exchange Online. */
    public static final String IMAP_SCOPE = "https://outlook.office365.com/.default";

    private final LocalCertificates certificates;
    private final EntraTokenEndpoint tokens;
    private final StandInMailServer mailServer;
    private final String tenantId;

    private LocalM365(LocalCertificates certificates, EntraTokenEndpoint tokens, StandInMailServer mailServer,
                      String tenantId) {
        this.certificates = certificates;
        this.tokens = tokens;
        this.mailServer = mailServer;
        this.tenantId = tenantId;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Tenant {@value #DEFAULT_TENANT_ID} ({@value #DEFAULT_DOMAIN}), app {@value #DEFAULT_CLIENT_ID} with secret
     * {@link #DEFAULT_CLIENT_SECRET} and role {@code IMAP.AccessAsApp}, mailbox {@value #DEFAULT_MAILBOX} granted to it.
     */
    public static LocalM365 startDefault() {
        return builder().tenant(DEFAULT_TENANT_ID, DEFAULT_DOMAIN)
                .app(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
                .mailbox(DEFAULT_MAILBOX)
                .grant(DEFAULT_CLIENT_ID, DEFAULT_MAILBOX)
                .start();
    }

    /** {@code https://localhost:PORT}: use as the authority host (authority = host + "/" + tenant). */
    public String authorityHost() {
        return tokens.baseUrl();
    }

    /** The token endpoint URL of the first tenant. */
    public String tokenEndpoint() {
        return tokens.tokenEndpoint(tenantId);
    }

    /** The first tenant's ID. */
    public String tenantId() {
        return tenantId;
    }

    /** {@code localhost}: the name the server certificate is for. */
    public String imapHost() {
        return mailServer.host();
    }

    public int imapsPort() {
        return mailServer.imapsPort();
    }

    public int smtpPort() {
        return mailServer.smtpPort();
    }

    /** Registers a redirect URI on an app (Authentication → Web → Redirect URIs) while running. */
    public void addRedirectUri(String clientId, String uri) {
        changeApp(clientId, b -> b.redirectUri(uri));
    }

    /** Adds a client secret to an app while running. */
    public void addSecret(String clientId, String value) {
        changeApp(clientId, b -> b.secret(value));
    }

    /** Deletes a client secret of an app while running: the next request with it gets AADSTS7000215. */
    public void revokeSecret(String clientId, String value) {
        changeApp(clientId, b -> b.removeSecret(value));
    }

    /**
     * Makes the app {@code clientId} accept tokens of {@code issuer} for {@code subject} as its client assertion (a
     * federated identity credential, audience api://AzureADTokenExchange) and makes the issuer's key known.
     */
    public FederatedIdentityCredential trust(OidcIssuer issuer, String clientId, String subject) {
        FederatedIdentityCredential credential = FederatedIdentityCredential.of(issuer.issuer(), subject);
        tokens.directory().issuerKey(issuer.issuer(), issuer.publicKey());
        tokens.directory().federatedCredential(clientId, credential);
        return credential;
    }

    private void changeApp(String clientId, java.util.function.UnaryOperator<AppRegistration.Builder> change) {
        AppRegistration app = tokens.directory().app(clientId)
                .orElseThrow(() -> new IllegalArgumentException("No app " + clientId));
        tokens.directory().app(change.apply(app.toBuilder()).build());
    }

    public EntraTokenEndpoint tokens() {
        return tokens;
    }

    public StandInMailServer mailServer() {
        return mailServer;
    }

    public LocalCertificates certificates() {
        return certificates;
    }

    @Override
    public void close() {
        try {
            mailServer.close();
        } finally {
            tokens.close();
        }
    }

    /** Configures a {@link LocalM365}; apps added with {@link #app(String, String)} live in the last tenant. */
    public static final class Builder {
        private final EntraTokenEndpoint.Builder endpoint = EntraTokenEndpoint.builder();
        private final List<String> mailboxes = new ArrayList<>();
        private final List<String[]> grants = new ArrayList<>();
        private String firstTenant;
        private String lastTenant;

        private Builder() {
        }

        public Builder tenant(String id, String... domains) {
            endpoint.tenant(id, domains);
            firstTenant = firstTenant == null ? id.toLowerCase(java.util.Locale.ROOT) : firstTenant;
            lastTenant = id;
            return this;
        }

        /** A single-tenant app in the last tenant with one secret and role {@code IMAP.AccessAsApp}. */
        public Builder app(String clientId, String secret) {
            if (lastTenant == null) {
                throw new IllegalStateException("Call tenant(...) before app(...)");
            }
            return app(AppRegistration.builder(clientId, lastTenant).secret(secret)
                    .roles(AppRegistration.IMAP_ACCESS_AS_APP).build());
        }

        public Builder app(AppRegistration app) {
            endpoint.app(app);
            return this;
        }

        /** A mailbox and its user (who may sign in for delegated access to it). */
        public Builder mailbox(String address) {
            mailboxes.add(address);
            endpoint.user(address);
            return this;
        }

        /** Gives the app access to the mailbox (Exchange's {@code Add-MailboxPermission}). */
        public Builder grant(String clientId, String mailbox) {
            grants.add(new String[] {clientId, mailbox});
            return this;
        }

        public Builder tokenLifetimeSeconds(long seconds) {
            endpoint.tokenLifetimeSeconds(seconds);
            return this;
        }

        /** Makes this JVM trust the local CA, then starts the token endpoint and the mail server. */
        public LocalM365 start() {
            if (firstTenant == null) {
                throw new IllegalStateException("At least one tenant is needed");
            }
            LocalCertificates certificates = LocalCertificates.jvm().trustInThisJvm();
            EntraTokenEndpoint tokens = endpoint.certificates(certificates).start();
            StandInMailServer mail = null;
            try {
                mail = StandInMailServer.start(certificates, tokens);
                mailboxes.forEach(mail::createMailbox);
                for (String[] g : grants) {
                    mail.grantMailbox(g[0], g[1]);
                }
                return new LocalM365(certificates, tokens, mail, firstTenant);
            } catch (RuntimeException e) {
                if (mail != null) {
                    mail.close();
                }
                tokens.close();
                throw e;
            }
        }
    }
}
