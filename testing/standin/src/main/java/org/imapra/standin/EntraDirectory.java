package org.imapra.standin;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The tenants and app registrations the token endpoint knows; thread-safe and changeable while running. */
public final class EntraDirectory {
    private final Map<String, EntraTenant> tenants = new ConcurrentHashMap<>();
    private final Map<String, AppRegistration> apps = new ConcurrentHashMap<>();
    private final Map<String, String> users = new ConcurrentHashMap<>();
    private final Map<String, java.security.interfaces.RSAPublicKey> issuerKeys = new ConcurrentHashMap<>();
    private final Map<String, List<FederatedIdentityCredential>> federated = new ConcurrentHashMap<>();

    /** Makes an OIDC issuer's signing key known (what Entra reads from the issuer's JWKS). */
    public EntraDirectory issuerKey(String issuer, java.security.interfaces.RSAPublicKey key) {
        issuerKeys.put(issuer, key);
        return this;
    }

    /** The signing key of {@code issuer}, if known. */
    public Optional<java.security.interfaces.RSAPublicKey> issuerKey(String issuer) {
        return Optional.ofNullable(issuer == null ? null : issuerKeys.get(issuer));
    }

    /** Adds a federated identity credential to the app {@code clientId}. */
    public EntraDirectory federatedCredential(String clientId, FederatedIdentityCredential credential) {
        federated.compute(clientId.toLowerCase(Locale.ROOT), (k, old) -> {
            List<FederatedIdentityCredential> list = new java.util.ArrayList<>(old == null ? List.of() : old);
            list.add(credential);
            return List.copyOf(list);
        });
        return this;
    }

    /** Removes a federated identity credential from the app. */
    public void removeFederatedCredential(String clientId, FederatedIdentityCredential credential) {
        federated.computeIfPresent(clientId.toLowerCase(Locale.ROOT),
                (k, old) -> old.stream().filter(c -> !c.equals(credential)).toList());
    }

    /** The app's federated identity credentials. */
    public List<FederatedIdentityCredential> federatedCredentials(String clientId) {
        return federated.getOrDefault(clientId.toLowerCase(Locale.ROOT), List.of());
    }

    /** Adds (or replaces) a tenant. */
    public EntraDirectory tenant(String id, String... domains) {
        EntraTenant tenant = new EntraTenant(id, List.of(domains));
        tenants.put(tenant.id(), tenant);
        return this;
    }

    /** Adds or replaces an app registration (keyed by client ID). */
    public EntraDirectory app(AppRegistration app) {
        if (!tenants.containsKey(app.homeTenantId())) {
            throw new IllegalArgumentException("Unknown home tenant " + app.homeTenantId() + " for app " + app.clientId());
        }
        apps.put(app.clientId(), app);
        return this;
    }

    /** Adds a user (a mailbox's owner) who can sign in; the address is the UPN. */
    public EntraDirectory user(String upn) {
        users.putIfAbsent(upn.toLowerCase(Locale.ROOT), upn);
        return this;
    }

    /** The user with this UPN (case-insensitive), as it was added. */
    public Optional<String> userNamed(String upn) {
        return upn == null ? Optional.empty() : Optional.ofNullable(users.get(upn.trim().toLowerCase(Locale.ROOT)));
    }

    public void removeApp(String clientId) {
        apps.remove(clientId.toLowerCase(Locale.ROOT));
    }

    /** The tenant with this ID GUID or verified domain. */
    public Optional<EntraTenant> resolveTenant(String idOrDomain) {
        EntraTenant byId = tenants.get(idOrDomain.toLowerCase(Locale.ROOT));
        if (byId != null) {
            return Optional.of(byId);
        }
        return tenants.values().stream().filter(t -> t.matches(idOrDomain)).findFirst();
    }

    public Optional<AppRegistration> app(String clientId) {
        return Optional.ofNullable(apps.get(clientId.toLowerCase(Locale.ROOT)));
    }

    public Collection<EntraTenant> tenants() {
        return List.copyOf(tenants.values());
    }

    public Collection<AppRegistration> apps() {
        return List.copyOf(apps.values());
    }
}
