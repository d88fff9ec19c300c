package org.imapra.ping;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.imapra.api.admin.PingStage.Status;
import org.imapra.auth.AccessToken;
import org.imapra.auth.ClientCredential;
import org.imapra.auth.CredentialExpiry;
import org.imapra.auth.TokenRequest;
import org.imapra.ping.StagedPing.Outcome;

/** The Token stage's warning for a credential that expires soon (a certificate's notAfter, secretExpires). */
final class CredentialWarnings {

    /** From how long before its expiry a credential is warned about. */
    static final Duration WARN_BEFORE = Duration.ofDays(30);

    private CredentialWarnings() {
    }

    /** OK with the token, or a WARNING (not a failure) when the credential used expires within 30 days. */
    static Outcome<AccessToken> expiry(AccessToken token, String details, TokenRequest used, Clock clock) {
        Instant expires = CredentialExpiry.of(used);
        if (expires == null) {
            return new Outcome<>(token, Status.OK, details, null);
        }
        Instant now = clock.instant();
        ClientCredential c = used.credential();
        String what = c.isCertificate() ? "the certificate (" + c.property() + ")" : "the client secret ("
                + c.property() + ", as secretExpires declares)";
        if (expires.isAfter(now.plus(WARN_BEFORE))) {
            return new Outcome<>(token, Status.OK, details + "; " + what + " expires " + expires, null);
        }
        long days = Math.max(0, Duration.between(now, expires).toDays());
        String when = expires.isAfter(now) ? " expires " + expires + ", in " + days + (days == 1 ? " day" : " days")
                : " expired " + expires;
        String next = c.isCertificate()
                ? "create a new certificate, upload it to the app registration and set it as "
                + (c.kind() == ClientCredential.Kind.KEY_STORE ? "nextCertificateAlias" : "nextCertificatePath")
                : "create a new client secret in the app registration and set it as nextClientSecret";
        return new Outcome<>(token, Status.WARNING, details + "; " + what + when, "Before it expires, " + next
                + ": the adapter switches to it as soon as Entra ID refuses the current one");
    }
}
