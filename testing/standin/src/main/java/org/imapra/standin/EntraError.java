package org.imapra.standin;

import jakarta.json.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An Entra ID v2.0 error as the token endpoint returns it: HTTP status, OAuth {@code error}, AADSTS code and text.
 * {@link #toJson} renders Microsoft's exact JSON shape.
 *
 * @param httpStatus 400 for invalid_request, invalid_scope, unauthorized_client...; 401 for invalid_client
 * @param error      the OAuth 2.0 error
 * @param code       the AADSTS number, e.g. 7000215
 * @param message    the text after {@code AADSTSnnn: }
 */
public record EntraError(int httpStatus, String error, int code, String message) {
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /** Renders {@code {"error":..,"error_description":"AADSTSn: ..\r\nTrace ID: ..",...}}. */
    public String toJson(String traceId, String correlationId, Instant now) {
        String timestamp = TIMESTAMP.format(now);
        String description = "AADSTS" + code + ": " + message + "\r\nTrace ID: " + traceId
                + "\r\nCorrelation ID: " + correlationId + "\r\nTimestamp: " + timestamp;
        return Json.createObjectBuilder()
                .add("error", error)
                .add("error_description", description)
                .add("error_codes", Json.createArrayBuilder().add(code))
                .add("timestamp", timestamp)
                .add("trace_id", traceId)
                .add("correlation_id", correlationId)
                .add("error_uri", "https://login.microsoftonline.com/error?code=" + code)
                .build().toString();
    }

    static EntraError tenantNotFound(String tenant) {
        return new EntraError(400, "invalid_request", 90002, "Tenant '" + tenant + "' not found. Check to make sure you"
                + " have the correct tenant ID and are signing into the correct cloud. Check with your subscription"
                + " administrator, this may happen if there are no active subscriptions for the tenant.");
    }

    static EntraError appNotFound(String clientId, String directory) {
        return new EntraError(400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                + "' was not found in the directory '" + directory + "'. This can happen if the application has not"
                + " been installed by the administrator of the tenant or consented to by any user in the tenant. You"
                + " may have sent your authentication request to the wrong tenant.");
    }

    static EntraError invalidSecret(String clientId) {
        return new EntraError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being"
                + " sent in the request is the client secret value, not the client secret ID, for a secret added to"
                + " app '" + clientId + "'.");
    }

    static EntraError expiredSecret(String clientId) {
        return new EntraError(401, "invalid_client", 7000222, "The provided client secret keys for app '" + clientId
                + "' are expired. Visit the Azure portal to create new keys for your app:"
                + " https://aka.ms/NewClientSecret, or consider using certificate credentials for added security:"
                + " https://aka.ms/certCreds.");
    }

    static EntraError noCredential() {
        return new EntraError(401, "invalid_client", 7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }

    static EntraError invalidScope(String scope) {
        return new EntraError(400, "invalid_scope", 70011, "The provided request must include a 'scope' input"
                + " parameter. The provided value for the input parameter 'scope' is not valid. The scope " + scope
                + " is not valid.");
    }

    static EntraError resourceNotFound(String resource, String directory) {
        return new EntraError(400, "invalid_resource", 500011, "The resource principal named " + resource
                + " was not found in the tenant named " + directory + ". This can happen if the application has not"
                + " been installed by the administrator of the tenant or consented to by any user in the tenant. You"
                + " might have sent your authentication request to the wrong tenant.");
    }

    static EntraError notMultiTenant(AppRegistration app) {
        return new EntraError(400, "invalid_request", 50194, "Application '" + app.clientId() + "'("
                + app.displayName() + ") is not configured as a multi-tenant application. Usage of the /common"
                + " endpoint is not supported for such applications created after '10/15/2018'. Use a"
                + " tenant-specific endpoint or configure the application to be multi-tenant.");
    }

    static EntraError noTenantInformation() {
        return new EntraError(400, "invalid_request", 50059, "No tenant-identifying information found in either the"
                + " request or implied by any provided credentials.");
    }

    static EntraError unsupportedGrantType(String grantType) {
        return new EntraError(400, "unsupported_grant_type", 70003,
                "The app requested an unsupported grant type '" + grantType + "'.");
    }

    static EntraError missingParameter(String parameter) {
        return new EntraError(400, "invalid_request", 900144,
                "The request body must contain the following parameter: '" + parameter + "'.");
    }

    static EntraError postOnly(String method) {
        return new EntraError(400, "invalid_request", 900561,
                "The endpoint only accepts POST, OPTIONS requests. Received a " + method + " request.");
    }

    static EntraError malformedAssertion() {
        return new EntraError(400, "invalid_request", 50027, "JWT token is invalid or malformed.");
    }

    static EntraError assertionSignature() {
        return new EntraError(401, "invalid_client", 700027,
                "Client assertion contains an invalid signature. [Reason - The key was not found.]");
    }

    static EntraError assertionAudience() {
        return new EntraError(401, "invalid_client", 700023, "Client assertion audience claim does not match Realm"
                + " issuer. Review the documentation at https://aka.ms/certCreds.");
    }

    static EntraError assertionIssuer() {
        return new EntraError(401, "invalid_client", 700021, "Client assertion application identifier doesn't match"
                + " 'client_id' parameter. Review the documentation at https://aka.ms/certCreds.");
    }

    static EntraError assertionExpired(Instant now, Instant expiry) {
        return new EntraError(401, "invalid_client", 700024, "Client assertion is not within its valid time range."
                + " Current time: " + now + ", expiry time of assertion " + expiry + ".");
    }

    static EntraError noMatchingFederatedIdentity(String issuer, String subject, java.util.List<String> audience) {
        return new EntraError(400, "invalid_request", 70021, "No matching federated identity record found for"
                + " presented assertion. Assertion Issuer: '" + issuer + "'. Assertion Subject: '" + subject + "'."
                + " Assertion Audience: '" + (audience == null ? "" : String.join(",", audience)) + "'."
                + " https://learn.microsoft.com/entra/workload-id/workload-identity-federation");
    }

    static EntraError federatedSignature(String issuer) {
        return new EntraError(401, "invalid_client", 700027, "Client assertion failed signature validation."
                + " [Reason - The key was not found., Thumbprint of key used by client: '', Please visit the"
                + " issuer '" + issuer + "' to verify the signing key.]");
    }

    /** The body sent for an injected fault ({@link EntraTokenEndpoint#failNext}). */
    static EntraError serverError(int httpStatus) {
        if (httpStatus == 503 || httpStatus == 429) {
            return new EntraError(httpStatus, "temporarily_unavailable", 90033,
                    "A transient error has occurred. Please try again.");
        }
        return new EntraError(httpStatus, "server_error", 50000,
                "There was an error issuing a token or an issue with our sign-in service.");
    }
}
