package org.imapra.standin;

import java.util.Objects;

/**
 * A federated identity credential of an app registration (Certificates &amp; secrets → Federated credentials): the
 * app accepts as its client assertion a token of {@code issuer} for {@code subject} with audience
 * {@code audience} (Entra's default {@value #DEFAULT_AUDIENCE}).
 */
public record FederatedIdentityCredential(String issuer, String subject, String audience) {
    public static final String DEFAULT_AUDIENCE = "api://AzureADTokenExchange";

    public FederatedIdentityCredential {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(audience, "audience");
    }

    /** With the default audience. */
    public static FederatedIdentityCredential of(String issuer, String subject) {
        return new FederatedIdentityCredential(issuer, subject, DEFAULT_AUDIENCE);
    }

    boolean matches(String iss, String sub, java.util.List<String> aud) {
        return issuer.equals(iss) && subject.equals(sub) && aud != null && aud.contains(audience);
    }
}
