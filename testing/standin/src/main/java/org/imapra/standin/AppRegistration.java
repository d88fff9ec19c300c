package org.imapra.standin;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * An app registration plus its service principal as the token endpoint sees them.
 *
 * @param clientId           application (client) ID
 * @param homeTenantId       the tenant the app lives in (client credentials work only there)
 * @param displayName        shown in some AADSTS messages
 * @param singleTenant       single-tenant apps get AADSTS50194 on {@code /common} and {@code /organizations}
 * @param secrets            client secrets (value and optional expiry)
 * @param certificates       certificates whose keys may sign client assertions (RS256)
 * @param roles              application permissions with admin consent, e.g. {@link #IMAP_ACCESS_AS_APP}
 * @param servicePrincipalId object ID of the enterprise application: the token's {@code oid} and {@code sub}
 * @param redirectUris       the app's registered redirect URIs (Web platform) for delegated sign-in
 */
public record AppRegistration(String clientId, String homeTenantId, String displayName, boolean singleTenant,
                              List<ClientSecret> secrets, List<X509Certificate> certificates, Set<String> roles,
                              String servicePrincipalId, List<String> redirectUris) {
    /** Office 365 Exchange Online application permission for app-only IMAP. */
    public static final String IMAP_ACCESS_AS_APP = "IMAP.AccessAsApp";

    public AppRegistration {
        clientId = Objects.requireNonNull(clientId, "clientId").toLowerCase(Locale.ROOT);
        homeTenantId = Objects.requireNonNull(homeTenantId, "homeTenantId").toLowerCase(Locale.ROOT);
        secrets = List.copyOf(secrets);
        certificates = List.copyOf(certificates);
        roles = Set.copyOf(roles);
        redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
    }

    public AppRegistration(String clientId, String homeTenantId, String displayName, boolean singleTenant,
                           List<ClientSecret> secrets, List<X509Certificate> certificates, Set<String> roles,
                           String servicePrincipalId) {
        this(clientId, homeTenantId, displayName, singleTenant, secrets, certificates, roles, servicePrincipalId,
                List.of());
    }

    /** Whether {@code uri} is registered exactly (Entra compares the whole URI). */
    public boolean hasRedirectUri(String uri) {
        return uri != null && redirectUris.contains(uri);
    }

    public static Builder builder(String clientId, String homeTenantId) {
        return new Builder(clientId, homeTenantId);
    }

    /** A builder pre-filled with this registration, e.g. to add or expire a secret. */
    public Builder toBuilder() {
        Builder b = new Builder(clientId, homeTenantId).displayName(displayName).servicePrincipalId(servicePrincipalId);
        b.singleTenant = singleTenant;
        b.secrets.addAll(secrets);
        b.certificates.addAll(certificates);
        b.roles.addAll(roles);
        b.redirectUris.addAll(redirectUris);
        return b;
    }

    @Override
    public String toString() {
        return "AppRegistration[clientId=" + clientId + ", tenant=" + homeTenantId + ", roles=" + roles
                + ", secrets=" + secrets.size() + ", certificates=" + certificates.size() + "]";
    }

    /** Builds an {@link AppRegistration}; by default single-tenant, no credentials, no roles. */
    public static final class Builder {
        private final String clientId;
        private final String homeTenantId;
        private String displayName = "imapra test app";
        private boolean singleTenant = true;
        private final List<ClientSecret> secrets = new ArrayList<>();
        private final List<X509Certificate> certificates = new ArrayList<>();
        private final Set<String> roles = new LinkedHashSet<>();
        private String servicePrincipalId = UUID.randomUUID().toString();
        private final List<String> redirectUris = new ArrayList<>();

        private Builder(String clientId, String homeTenantId) {
            this.clientId = clientId;
            this.homeTenantId = homeTenantId;
        }

        public Builder displayName(String name) {
            this.displayName = name;
            return this;
        }

        public Builder multiTenant() {
            this.singleTenant = false;
            return this;
        }

        public Builder secret(String value) {
            secrets.add(ClientSecret.of(value));
            return this;
        }

        public Builder secret(String value, Instant expiresAt) {
            secrets.add(new ClientSecret(value, expiresAt));
            return this;
        }

        /** Deletes the secret with this value (Certificates &amp; secrets → Delete). */
        public Builder removeSecret(String value) {
            secrets.removeIf(s -> s.value().equals(value));
            return this;
        }

        /** Deletes the certificate. */
        public Builder removeCertificate(X509Certificate certificate) {
            certificates.remove(certificate);
            return this;
        }

        public Builder clearSecrets() {
            secrets.clear();
            return this;
        }

        public Builder certificate(X509Certificate certificate) {
            certificates.add(certificate);
            return this;
        }

        public Builder roles(String... granted) {
            roles.addAll(List.of(granted));
            return this;
        }

        public Builder clearRoles() {
            roles.clear();
            return this;
        }

        /** Registers a redirect URI (Authentication → Web → Redirect URIs). */
        public Builder redirectUri(String uri) {
            redirectUris.add(uri);
            return this;
        }

        public Builder servicePrincipalId(String objectId) {
            this.servicePrincipalId = objectId;
            return this;
        }

        public AppRegistration build() {
            return new AppRegistration(clientId, homeTenantId, displayName, singleTenant, secrets, certificates, roles,
                    servicePrincipalId, redirectUris);
        }
    }
}
