package org.imapra.auth;

import java.util.List;
import java.util.Map;

/** What to tell the user for Entra ID errors (the catalogue in the README's troubleshooting section). */
public final class AadstsHints {

    private static final String TRANSIENT = "Entra ID failed on its side: this is usually transient, retry later; if "
            + "it persists, check the Azure status page and Service health in the Microsoft 365 admin center";

    private static final String FEDERATED_RECORD = "No federated credential of the app matches the token in "
            + "federatedTokenFile: add one (Certificates & secrets → Federated credentials) with exactly the token's "
            + "issuer (iss) and subject (sub), audience api://AzureADTokenExchange";

    private static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("AADSTS90002", "Check the Directory (tenant) ID or domain in tenantId, and the cloud: a tenant "
                    + "of another national cloud is not found here"),
            Map.entry("AADSTS700016", "Check the Application (client) ID in clientId, and that the app is "
                    + "registered in (or consented to) this tenant"),
            Map.entry("AADSTS7000215", "The client secret is wrong: paste the secret's Value (not its Secret ID), "
                    + "or create a new secret if it has expired"),
            Map.entry("AADSTS7000222", "The client secret has expired: create a new secret in the app registration "
                    + "(Certificates & secrets) and update clientSecret"),
            Map.entry("AADSTS7000218", "No credential was sent: configure clientSecret, certificatePath / "
                    + "certificateKeyStore, or credential FEDERATED with federatedTokenFile"),
            Map.entry("AADSTS70021", FEDERATED_RECORD),
            Map.entry("AADSTS700211", FEDERATED_RECORD),
            Map.entry("AADSTS700213", FEDERATED_RECORD),
            Map.entry("AADSTS700024", "The client assertion is expired or not yet valid: for a federated credential "
                    + "the token in federatedTokenFile is stale, so check that whatever writes it (the projected "
                    + "service-account token, the CI job) still refreshes it; for a certificate, check the server's "
                    + "clock"),
            Map.entry("AADSTS70011", "The scope is not valid for app-only access: use "
                    + "https://outlook.office365.com/.default (or your cloud's IMAP host + /.default)"),
            Map.entry("AADSTS50194", "The app is single-tenant: use the tenant-specific endpoint (set tenantId to "
                    + "the Directory (tenant) ID), never /common"),
            Map.entry("AADSTS700082", "The refresh token has expired (unused for 90 days): sign in again"),
            Map.entry("AADSTS50173", "The sign-in was revoked (password changed or sessions revoked): sign in "
                    + "again"),
            Map.entry("AADSTS65001", "The user or administrator has not consented (or withdrew consent) to "
                    + "IMAP.AccessAsUser.All: sign in again and consent"),
            Map.entry("AADSTS53003", "Blocked by Conditional Access: ask the tenant administrator to exclude this "
                    + "app or sign-in from the policy"),
            Map.entry("AADSTS700027", "The client assertion's signature was not accepted: for a certificate, upload "
                    + "this certificate to the app registration (Certificates & secrets → Certificates); for a "
                    + "federated credential, the issuer's published keys (JWKS) must hold the key that signed the "
                    + "token in federatedTokenFile"),
            Map.entry("AADSTS500011", "The resource in the scope is not known in this tenant: check the scope and "
                    + "the cloud"),
            Map.entry("AADSTS90033", TRANSIENT),
            Map.entry("AADSTS900023", "tenantId is not a valid tenant identifier: use the Directory (tenant) ID GUID "
                    + "or a verified domain"));

    private AadstsHints() {
    }

    /** A hint for the first code known, else for the network cause, else null. */
    public static String hint(List<String> codes, String error, Throwable cause) {
        return hint(codes, error, 0, cause);
    }

    /**
     * A hint for the first code known, else for the network cause, else for the HTTP status (5xx, 429: Entra's side,
     * transient), else null.
     *
     * @param httpStatus the token endpoint's HTTP status, 0 when none came
     */
    public static String hint(List<String> codes, String error, int httpStatus, Throwable cause) {
        for (String code : codes) {
            String h = HINTS.get(code);
            if (h != null) {
                return h;
            }
        }
        NetworkFailure failure = NetworkFailure.of(cause);
        if (failure != null) {
            return switch (failure) {
                case UNKNOWN_HOST -> "The authority host name does not resolve: check authorityHost / cloud and the "
                        + "server's DNS";
                case REFUSED -> "The token endpoint refused the connection: check authorityHost, httpsProxy and "
                        + "firewalls";
                case TIMEOUT -> "The token endpoint did not answer in time: check the network path, httpsProxy and "
                        + "connectTimeoutMillis / readTimeoutMillis";
                case TLS_HANDSHAKE, TLS -> "TLS to the token endpoint failed: the server's certificate is not trusted "
                        + "by this JVM or does not match the host name";
            };
        }
        if (httpStatus >= 500 || httpStatus == 429 || "temporarily_unavailable".equals(error)
                || "server_error".equals(error)) {
            return (httpStatus > 0 ? "HTTP " + httpStatus + ": " : "") + TRANSIENT;
        }
        if ("invalid_json".equals(error)) {
            return "The token endpoint answered with something other than Entra's JSON (e.g. an error page of a "
                    + "gateway or proxy): check authorityHost and httpsProxy; if they are right, " + TRANSIENT;
        }
        if ("invalid_client".equals(error)) {
            return "Check clientId and the credential (secret Value or certificate)";
        }
        return null;
    }
}
