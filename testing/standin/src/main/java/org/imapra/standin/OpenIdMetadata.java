package org.imapra.standin;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

/** The v2.0 OpenID Connect discovery document, shaped like login.microsoftonline.com's but with our base URL. */
final class OpenIdMetadata {
    private OpenIdMetadata() {
    }

    /**
     * @param baseUrl  e.g. {@code https://localhost:12345}
     * @param tenantId the tenant GUID, or {@code null} for {@code /common} and {@code /organizations}
     * @param segment  the path segment used when {@code tenantId} is {@code null}
     */
    static String document(String baseUrl, String tenantId, String segment) {
        String t = tenantId != null ? tenantId : segment;
        String prefix = baseUrl + "/" + t;
        JsonObjectBuilder doc = Json.createObjectBuilder()
                .add("token_endpoint", prefix + "/oauth2/v2.0/token")
                .add("token_endpoint_auth_methods_supported",
                        array("client_secret_post", "private_key_jwt", "client_secret_basic"))
                .add("jwks_uri", prefix + "/discovery/v2.0/keys")
                .add("response_modes_supported", array("query", "fragment", "form_post"))
                .add("subject_types_supported", array("pairwise"))
                .add("id_token_signing_alg_values_supported", array("RS256"))
                .add("response_types_supported", array("code", "id_token", "code id_token", "id_token token"))
                .add("scopes_supported", array("openid", "profile", "email", "offline_access"))
                .add("issuer", baseUrl + "/" + (tenantId != null ? tenantId : "{tenantid}") + "/v2.0")
                .add("request_uri_parameter_supported", false)
                .add("userinfo_endpoint", "https://graph.microsoft.com/oidc/userinfo")
                .add("authorization_endpoint", prefix + "/oauth2/v2.0/authorize")
                .add("device_authorization_endpoint", prefix + "/oauth2/v2.0/devicecode")
                .add("http_logout_supported", true)
                .add("frontchannel_logout_supported", true)
                .add("end_session_endpoint", prefix + "/oauth2/v2.0/logout")
                .add("claims_supported", array("sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
                        "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce",
                        "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"))
                .add("kerberos_endpoint", prefix + "/kerberos");
        if (tenantId != null) {
            doc.add("tenant_region_scope", "EU");
        } else {
            doc.addNull("tenant_region_scope");
        }
        return doc.add("cloud_instance_name", "microsoftonline.com")
                .add("cloud_graph_host_name", "graph.windows.net")
                .add("msgraph_host", "graph.microsoft.com")
                .add("rbac_url", "https://pas.windows.net")
                .build().toString();
    }

    private static JsonArrayBuilder array(String... values) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (String v : values) {
            a.add(v);
        }
        return a;
    }
}
