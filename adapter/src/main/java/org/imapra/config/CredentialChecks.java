package org.imapra.config;

import static org.imapra.api.admin.MailboxProperty.*;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.imapra.api.admin.MailboxProperty;
import org.imapra.auth.PasswordAliases;

/**
 * Checks the credential of a {@link DefinitionBuilder}: which kind it is ({@code credential}, or the one whose
 * properties are set), that exactly its properties are set, the secrets' shape, the next credential, the expiry
 * dates and (when asked) that its files can be used now.
 */
final class CredentialChecks {

    private final DefinitionBuilder b;
    private final boolean checkFiles;
    private final List<Problem> problems;

    CredentialChecks(DefinitionBuilder b, boolean checkFiles, List<Problem> problems) {
        this.b = b;
        this.checkFiles = checkFiles;
        this.problems = problems;
    }

    /**
     * A copy of {@code b} completed from the workload identity environment when it is FEDERATED (tenantId, clientId
     * and federatedTokenFile it does not set), else {@code b} itself.
     */
    static DefinitionBuilder withEnvironment(DefinitionBuilder b) {
        if (!"FEDERATED".equalsIgnoreCase(b.text(CREDENTIAL))) {
            return b;
        }
        DefinitionBuilder c = new DefinitionBuilder(b.name, b.values);
        fill(c, TENANT_ID, WorkloadIdentity.TENANT);
        fill(c, CLIENT_ID, WorkloadIdentity.CLIENT);
        fill(c, FEDERATED_TOKEN_FILE, WorkloadIdentity.TOKEN_FILE);
        return c;
    }

    private static void fill(DefinitionBuilder c, MailboxProperty p, String variable) {
        if (c.text(p) == null) {
            c.set(p, WorkloadIdentity.get(variable));
        }
    }

    /** The credential's kind (SECRET when it cannot be told: a problem then says why). */
    CredentialKind check() {
        CredentialKind kind = kind();
        switch (kind) {
            case SECRET -> checkSecret();
            case CERTIFICATE -> checkCertificate();
            case FEDERATED -> checkFederated();
        }
        if (kind != CredentialKind.CERTIFICATE && b.secret(CERTIFICATE_PASSWORD) != null) {
            problem(CERTIFICATE_PASSWORD, "certificatePassword is set but certificatePath is not");
        }
        date(SECRET_EXPIRES, kind);
        date(NEXT_SECRET_EXPIRES, kind);
        if (checkFiles && PasswordAliases.available()) { // without password alias support: said when used
            for (MailboxProperty p : List.of(CLIENT_SECRET, NEXT_CLIENT_SECRET, CERTIFICATE_PASSWORD)) {
                Secret s = b.secret(p);
                if (s != null) {
                    s.aliasReference().filter(alias -> PasswordAliases.lookup(alias).isEmpty())
                            .ifPresent(alias -> problem(p, PasswordAliases.missing(p.key(), alias)));
                }
            }
        }
        return kind;
    }

    private CredentialKind kind() {
        String raw = b.text(CREDENTIAL);
        if (raw != null) {
            try {
                return CredentialKind.valueOf(raw.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problem(CREDENTIAL, "credential '" + raw + "' is not one of SECRET, CERTIFICATE, FEDERATED");
                return CredentialKind.SECRET;
            }
        }
        boolean secret = b.secret(CLIENT_SECRET) != null;
        boolean certificate = b.text(CERTIFICATE_PATH) != null || b.text(CERTIFICATE_KEY_STORE) != null;
        boolean federated = b.text(FEDERATED_TOKEN_FILE) != null;
        if (secret && certificate && b.text(CERTIFICATE_PATH) != null) {
            problem(CLIENT_SECRET, "set either clientSecret or certificatePath, not both");
        } else if (!secret && !certificate && !federated) {
            problem(CLIENT_SECRET, "no credential: set clientSecret (the secret's Value), certificatePath (a PEM or "
                    + "PKCS#12 file with the certificate and its private key), certificateKeyStore with "
                    + "certificateAlias, or credential FEDERATED with federatedTokenFile");
        }
        return federated && !secret && !certificate ? CredentialKind.FEDERATED
                : certificate && !secret ? CredentialKind.CERTIFICATE
                : secret && !certificate && !federated ? CredentialKind.SECRET
                : conflicting(secret, certificate, federated);
    }

    private CredentialKind conflicting(boolean secret, boolean certificate, boolean federated) {
        if (secret && certificate) {
            if (b.text(CERTIFICATE_PATH) == null) {
                problem(CLIENT_SECRET, "set either clientSecret or certificateKeyStore, not both");
            }
            return CredentialKind.SECRET;
        }
        if (federated) {
            problem(FEDERATED_TOKEN_FILE, "federatedTokenFile is set together with "
                    + (secret ? "clientSecret" : "a certificate") + ": set one credential");
        }
        return CredentialKind.SECRET;
    }

    private void checkSecret() {
        Secret secret = b.secret(CLIENT_SECRET);
        if (secret == null) {
            if (b.text(CREDENTIAL) != null) {
                problem(CLIENT_SECRET, "credential SECRET needs clientSecret (the secret's Value)");
            }
            return;
        }
        shape(CLIENT_SECRET, secret);
        Secret next = b.secret(NEXT_CLIENT_SECRET);
        if (next != null) {
            shape(NEXT_CLIENT_SECRET, next);
            if (next.equals(secret)) {
                problem(NEXT_CLIENT_SECRET, "nextClientSecret is the same as clientSecret: leave it empty, or set "
                        + "the new secret's Value");
            }
        }
        refuse(CredentialKind.SECRET, CERTIFICATE_PATH, CERTIFICATE_KEY_STORE, CERTIFICATE_ALIAS,
                NEXT_CERTIFICATE_PATH, NEXT_CERTIFICATE_ALIAS, FEDERATED_TOKEN_FILE);
    }

    private void shape(MailboxProperty p, Secret secret) {
        if (secret.aliasReference().isPresent()) {
            return;
        }
        String s = secret.reveal();
        if (DefinitionValidator.GUID.matcher(s.strip()).matches()) {
            problem(p, p.key() + " is a GUID: this looks like the secret's ID; paste its Value "
                    + "(Certificates & secrets → Client secrets → Value, shown only when the secret is created)");
        } else if (!s.equals(s.strip())) {
            problem(p, p.key() + " begins or ends with white space: paste the Value exactly");
        }
    }

    private void checkCertificate() {
        String path = b.text(CERTIFICATE_PATH);
        String store = b.text(CERTIFICATE_KEY_STORE);
        String alias = b.text(CERTIFICATE_ALIAS);
        if (path != null && store != null) {
            problem(CERTIFICATE_PATH, "set either certificatePath or certificateKeyStore, not both");
        } else if (path == null && store == null) {
            problem(CERTIFICATE_PATH, "credential CERTIFICATE needs certificatePath (a PEM or PKCS#12 file) or "
                    + "certificateKeyStore (a PKCS#12 key store) with certificateAlias");
        }
        if (store != null && alias == null) {
            problem(CERTIFICATE_ALIAS, "certificateKeyStore needs certificateAlias: the alias of the key entry to "
                    + "use (keytool -list -storetype PKCS12 -keystore " + store + ")");
        }
        if (store == null) {
            refuse(CredentialKind.CERTIFICATE, CERTIFICATE_ALIAS, NEXT_CERTIFICATE_ALIAS);
        }
        if (path == null) {
            refuse(CredentialKind.CERTIFICATE, NEXT_CERTIFICATE_PATH);
        }
        refuse(CredentialKind.CERTIFICATE, CLIENT_SECRET, NEXT_CLIENT_SECRET, FEDERATED_TOKEN_FILE);
        if (!checkFiles) {
            return;
        }
        if (path != null) {
            CredentialFiles.certificateProblem(CERTIFICATE_PATH, path).ifPresent(problems::add);
        }
        String next = b.text(NEXT_CERTIFICATE_PATH);
        if (next != null) {
            CredentialFiles.certificateProblem(NEXT_CERTIFICATE_PATH, next).ifPresent(problems::add);
        }
        if (store != null) {
            Secret pw = b.secret(CERTIFICATE_PASSWORD);
            CredentialFiles.keyStoreProblem(store, pw, alias, b.text(NEXT_CERTIFICATE_ALIAS))
                    .ifPresent(problems::add);
        }
    }

    private void checkFederated() {
        String file = b.text(FEDERATED_TOKEN_FILE);
        if (file == null) {
            problem(FEDERATED_TOKEN_FILE, "credential FEDERATED needs federatedTokenFile (the file holding the "
                    + "external OIDC token), or the environment variable AZURE_FEDERATED_TOKEN_FILE that Azure "
                    + "workload identity sets");
        } else if (checkFiles) {
            CredentialFiles.tokenFileProblem(file).ifPresent(problems::add);
        }
        refuse(CredentialKind.FEDERATED, CLIENT_SECRET, NEXT_CLIENT_SECRET, CERTIFICATE_PATH, CERTIFICATE_KEY_STORE,
                CERTIFICATE_ALIAS, NEXT_CERTIFICATE_PATH, NEXT_CERTIFICATE_ALIAS);
    }

    /** The properties that belong to another kind of credential must not be set. */
    private void refuse(CredentialKind kind, MailboxProperty... others) {
        for (MailboxProperty p : others) {
            if (b.values.get(p) != null) {
                problem(p, p.key() + " cannot be used with a " + describe(kind) + ": leave it empty");
            }
        }
    }

    private static String describe(CredentialKind kind) {
        return switch (kind) {
            case SECRET -> "client secret";
            case CERTIFICATE -> "certificate";
            case FEDERATED -> "federated credential (credential FEDERATED)";
        };
    }

    private void date(MailboxProperty p, CredentialKind kind) {
        String raw = b.text(p);
        if (raw == null) {
            return;
        }
        try {
            LocalDate.parse(raw);
        } catch (DateTimeParseException e) {
            problem(p, p.key() + " '" + raw + "' is not a date: write yyyy-MM-dd, e.g. 2027-06-30 (the Expires "
                    + "column of Certificates & secrets → Client secrets)");
            return;
        }
        if (kind != CredentialKind.SECRET) {
            problem(p, p.key() + " is the expiry of a client secret: a certificate's is read from the "
                    + "certificate, a federated token has none to set");
        } else if (p == NEXT_SECRET_EXPIRES && b.secret(NEXT_CLIENT_SECRET) == null) {
            problem(p, "nextSecretExpires is set but nextClientSecret is not");
        }
    }

    private void problem(MailboxProperty p, String message) {
        problems.add(new Problem(p.key(), message));
    }
}
