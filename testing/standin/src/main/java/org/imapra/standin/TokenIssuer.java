package org.imapra.standin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.Json;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Signs Exchange Online access tokens (v1.0 JWTs, RS256) with a key made at start, and validates them. */
final class TokenIssuer {
    /** The Exchange Online resource: scope {@code https://outlook.office365.com/.default}, token {@code aud}. */
    static final String EXCHANGE_RESOURCE = "https://outlook.office365.com";
    /** The resource of delegated Exchange Online scopes ({@code https://outlook.office.com/IMAP.AccessAsUser.All}). */
    static final String EXCHANGE_DELEGATED_RESOURCE = "https://outlook.office.com";
    /**
     * A scalar claim on every app-only token: {@value AppRegistration#IMAP_ACCESS_AS_APP} if the app has that role,
     * else {@code none}. Not an Entra claim: Dovecot's local JWT validation ignores array claims such as
     * {@code roles}, so {@link DovecotServer} checks the role on this one ({@code active_attribute}).
     */
    static final String IMAP_ROLE_CLAIM = "imap_role";
    static final String NO_IMAP_ROLE = "none";
    /**
     * A copy of a delegated token's {@code scp} under the name Dovecot's {@code scope} check reads ({@code scope});
     * not an Entra claim either.
     */
    static final String SCOPE_CLAIM = "scope";

    private final KeyPair keys;
    private final X509Certificate certificate;
    private final String keyId;
    private final RSASSASigner signer;
    private final RSASSAVerifier verifier;

    TokenIssuer() {
        keys = LocalCertificates.rsaKeyPair();
        certificate = LocalCertificates.selfSigned(keys, "accounts.accesscontrol.windows.net", Duration.ofDays(2));
        keyId = thumbprint(certificate, "SHA-1");
        signer = new RSASSASigner(keys.getPrivate());
        verifier = new RSASSAVerifier((RSAPublicKey) keys.getPublic());
    }

    static String issuer(String tenantId) {
        return "https://sts.windows.net/" + tenantId + "/";
    }

    /** Base64url thumbprint of a certificate (what {@code x5t} / {@code x5t#S256} carry). */
    static String thumbprint(X509Certificate cert, String digest) {
        try {
            return Base64URL.encode(MessageDigest.getInstance(digest).digest(cert.getEncoded())).toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("deprecation") // x5t (SHA-1 thumbprint) is what Entra puts in the header
    String issue(AppRegistration app, EntraTenant tenant, boolean viaCertificate, long lifetimeSeconds, Instant now) {
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .audience(EXCHANGE_RESOURCE)
                .issuer(issuer(tenant.id()))
                .issueTime(Date.from(iat))
                .notBeforeTime(Date.from(iat))
                .expirationTime(Date.from(iat.plusSeconds(lifetimeSeconds)))
                .claim("aio", UUID.randomUUID().toString())
                .claim("app_displayname", app.displayName())
                .claim("appid", app.clientId())
                .claim("appidacr", viaCertificate ? "2" : "1")
                .claim("azp", app.clientId())
                .claim("idp", issuer(tenant.id()))
                .claim("idtyp", "app")
                .claim("oid", app.servicePrincipalId())
                .subject(app.servicePrincipalId())
                .claim("tid", tenant.id())
                .claim("uti", UUID.randomUUID().toString().replace("-", ""))
                .claim("ver", "1.0");
        if (!app.roles().isEmpty()) {
            claims.claim("roles", List.copyOf(app.roles()));
        }
        claims.claim(IMAP_ROLE_CLAIM, app.roles().contains(AppRegistration.IMAP_ACCESS_AS_APP)
                ? AppRegistration.IMAP_ACCESS_AS_APP : NO_IMAP_ROLE);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(keyId)
                .x509CertThumbprint(new Base64URL(keyId)).build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign the access token", e);
        }
        return jwt.serialize();
    }

    /** A user's object ID in a tenant: stable for the same UPN. */
    static String userObjectId(String tenantId, String upn) {
        return UUID.nameUUIDFromBytes(("user:" + tenantId + ":" + upn.toLowerCase(java.util.Locale.ROOT))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /** A delegated Exchange Online access token (v1.0, {@code scp}, {@code upn}) for {@code upn}. */
    String issueDelegated(AppRegistration app, EntraTenant tenant, String upn, String scp, long lifetimeSeconds,
                          Instant now) {
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        String oid = userObjectId(tenant.id(), upn);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .audience(EXCHANGE_DELEGATED_RESOURCE)
                .issuer(issuer(tenant.id()))
                .issueTime(Date.from(iat))
                .notBeforeTime(Date.from(iat))
                .expirationTime(Date.from(iat.plusSeconds(lifetimeSeconds)))
                .claim("app_displayname", app.displayName())
                .claim("appid", app.clientId())
                .claim("appidacr", "1")
                .claim("idtyp", "user")
                .claim("oid", oid)
                .subject(oid)
                .claim("scp", scp)
                .claim(SCOPE_CLAIM, scp)
                .claim("tid", tenant.id())
                .claim("upn", upn)
                .claim("unique_name", upn)
                .claim("uti", UUID.randomUUID().toString().replace("-", ""))
                .claim("ver", "1.0")
                .build();
        return sign(claims);
    }

    /** The v2.0 ID token MSAL builds its account from ({@code preferred_username}, {@code oid}, {@code tid}). */
    String idToken(AppRegistration app, EntraTenant tenant, String upn, String baseUrl, Instant now) {
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        String oid = userObjectId(tenant.id(), upn);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .audience(app.clientId())
                .issuer(baseUrl + "/" + tenant.id() + "/v2.0")
                .issueTime(Date.from(iat))
                .notBeforeTime(Date.from(iat))
                .expirationTime(Date.from(iat.plusSeconds(3600)))
                .claim("name", upn)
                .claim("oid", oid)
                .claim("preferred_username", upn)
                .subject(UUID.nameUUIDFromBytes((app.clientId() + oid).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toString())
                .claim("tid", tenant.id())
                .claim("ver", "2.0")
                .build();
        return sign(claims);
    }

    /** Signs any claims with this issuer's key and header (tests use it to build tokens Entra would not issue). */
    @SuppressWarnings("deprecation")
    String sign(JWTClaimsSet claims) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(keyId)
                .x509CertThumbprint(new Base64URL(keyId)).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign the token", e);
        }
        return jwt.serialize();
    }

    /** Signature (our key), {@code aud}, {@code nbf} and {@code exp} with zero leeway. */
    Optional<TokenClaims> validate(String token, Instant now) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !keyId.equals(jwt.getHeader().getKeyID())
                    || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            Date nbf = claims.getNotBeforeTime();
            if (exp == null || !now.isBefore(exp.toInstant()) || (nbf != null && now.isBefore(nbf.toInstant()))
                    || !(claims.getAudience().contains(EXCHANGE_RESOURCE)
                    || claims.getAudience().contains(EXCHANGE_DELEGATED_RESOURCE))) {
                return Optional.empty();
            }
            List<String> roles = claims.getStringListClaim("roles");
            Date iat = claims.getIssueTime();
            return Optional.of(new TokenClaims(claims.getStringClaim("appid"), claims.getStringClaim("tid"),
                    claims.getStringClaim("oid"), roles == null ? List.of() : roles, claims.getAudience().get(0),
                    iat == null ? null : iat.toInstant(), exp.toInstant(), claims.getStringClaim("scp"),
                    claims.getStringClaim("upn")));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The JWKS document ({@code {"keys":[...]}}) in Entra's shape. */
    String jwks(String issuer) {
        RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
        try {
            return Json.createObjectBuilder().add("keys", Json.createArrayBuilder().add(Json.createObjectBuilder()
                    .add("kty", "RSA")
                    .add("use", "sig")
                    .add("kid", keyId)
                    .add("x5t", keyId)
                    .add("n", Base64URL.encode(unsigned(pub.getModulus().toByteArray())).toString())
                    .add("e", Base64URL.encode(unsigned(pub.getPublicExponent().toByteArray())).toString())
                    .add("x5c", Json.createArrayBuilder()
                            .add(Base64.getEncoder().encodeToString(certificate.getEncoded())))
                    .add("issuer", issuer))).build().toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    RSAPublicKey publicKey() {
        return (RSAPublicKey) keys.getPublic();
    }

    String keyId() {
        return keyId;
    }

    private static byte[] unsigned(byte[] twosComplement) {
        if (twosComplement.length > 1 && twosComplement[0] == 0) {
            byte[] out = new byte[twosComplement.length - 1];
            System.arraycopy(twosComplement, 1, out, 0, out.length);
            return out;
        }
        return twosComplement;
    }
}
