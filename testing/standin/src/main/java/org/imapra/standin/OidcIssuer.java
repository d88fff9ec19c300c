package org.imapra.standin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * A test OIDC issuer for federated credentials (workload identity): a signing key and an issuer URL, minting the
 * tokens a Kubernetes cluster or GitHub Actions would (RS256, {@code iss}, {@code sub}, {@code aud}
 * {@value FederatedIdentityCredential#DEFAULT_AUDIENCE}, {@code iat}, {@code exp}). Make the stand-in trust it with
 * {@link LocalM365#trust}; an issuer it does not trust is refused with AADSTS70021.
 */
public final class OidcIssuer {

    private final String issuer;
    private final KeyPair keys;
    private final String keyId = UUID.randomUUID().toString();

    private OidcIssuer(String issuer) {
        this.issuer = issuer;
        this.keys = LocalCertificates.rsaKeyPair();
    }

    /** An issuer with a new key, e.g. {@code https://oidc.aks.test/1f2e...}. */
    public static OidcIssuer create(String issuer) {
        return new OidcIssuer(issuer);
    }

    public String issuer() {
        return issuer;
    }

    /** The key its JWKS would publish. */
    public RSAPublicKey publicKey() {
        return (RSAPublicKey) keys.getPublic();
    }

    /** A token for {@code subject}, audience api://AzureADTokenExchange, valid for an hour. */
    public String token(String subject) {
        return token(subject, FederatedIdentityCredential.DEFAULT_AUDIENCE, Instant.now().plus(Duration.ofHours(1)));
    }

    /** A token with the given audience and expiry (in the past for an expired one). */
    public String token(String subject, String audience, Instant expiresAt) {
        Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
        Instant iat = expiresAt.isBefore(now) ? expiresAt.minus(Duration.ofHours(1)) : now;
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(audience)
                .issueTime(Date.from(iat))
                .notBeforeTime(Date.from(iat))
                .expirationTime(Date.from(expiresAt))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(keyId).build(), claims);
        try {
            jwt.sign(new RSASSASigner(keys.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign the token", e);
        }
        return jwt.serialize();
    }

    /** Writes {@code token} to {@code file} atomically (as the kubelet rotates a projected token), returns the file. */
    public static Path write(Path file, String token) {
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".token", ".tmp");
            Files.writeString(tmp, token, StandardCharsets.US_ASCII);
            return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "OidcIssuer[" + issuer + "]";
    }
}
