package org.imapra.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.imapra.api.admin.DefinitionException;
import org.imapra.api.admin.DefinitionInput;
import org.imapra.api.admin.DefinitionView;
import org.imapra.config.DefinitionBuilder;
import org.imapra.config.InvalidDefinitionException;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.Problem;
import org.imapra.config.Secret;
import org.imapra.config.StoredDefinition;

/** Converts between the console's forms ({@link DefinitionInput}, {@link DefinitionView}) and definitions. */
final class DefinitionInputs {

    private DefinitionInputs() {
    }

    private static Secret secret(char[] chars) {
        return chars == null || chars.length == 0 ? null : Secret.of(new String(chars));
    }

    /** A builder from the form; empty secrets are taken from {@code keep} (the stored definition), if any. */
    static DefinitionBuilder builder(DefinitionInput in, MailboxDefinition keep) {
        Secret clientSecret = secret(in.getClientSecret());
        Secret certPassword = secret(in.getCertificatePassword());
        boolean usesCertificate = in.getCertificatePath() != null && !in.getCertificatePath().isBlank();
        if (keep != null) {
            if (clientSecret == null && !usesCertificate) {
                clientSecret = keep.clientSecret();
            }
            if (certPassword == null && usesCertificate) {
                certPassword = keep.certificatePassword();
            }
        }
        return MailboxDefinition.builder().name(in.getName()).userName(in.getUserName()).tenantId(in.getTenantId())
                .clientId(in.getClientId()).clientSecret(clientSecret).certificatePath(in.getCertificatePath())
                .certificatePassword(certPassword).cloud(in.getCloud()).authorityHost(in.getAuthorityHost())
                .imapHost(in.getImapHost()).imapPort(in.getImapPort()).scope(in.getScope())
                .saslMechanism(in.getSaslMechanism()).connectTimeoutMillis(in.getConnectTimeoutMillis())
                .readTimeoutMillis(in.getReadTimeoutMillis()).httpsProxy(in.getHttpsProxy())
                .authMode(in.getAuthMode());
    }

    static MailboxDefinition build(DefinitionInput in, MailboxDefinition keep) throws DefinitionException {
        try {
            MailboxDefinition d = builder(in, keep).build();
            if (d.name() == null) {
                throw invalid(List.of(new Problem("name", "name is required: applications use it, e.g. "
                        + "getConnection(\"support\")")));
            }
            return d;
        } catch (InvalidDefinitionException e) {
            throw invalid(e.problems());
        }
    }

    static DefinitionException invalid(List<Problem> problems) {
        Map<String, List<String>> byProperty = new LinkedHashMap<>();
        for (Problem p : problems) {
            byProperty.computeIfAbsent(p.property(), k -> new ArrayList<>()).add(p.message());
        }
        return new DefinitionException(DefinitionException.Reason.INVALID, "The definition is invalid: "
                + String.join("; ", problems.stream().map(Problem::message).toList()), byProperty, null);
    }

    static boolean secretChanged(MailboxDefinition before, MailboxDefinition after) {
        return before == null || !Objects.equals(before.clientSecret(), after.clientSecret())
                || !Objects.equals(before.certificatePassword(), after.certificatePassword());
    }

    static DefinitionView view(StoredDefinition s) {
        return view(s, null);
    }

    /** With the delegated sign-in state (null: none stored). */
    static DefinitionView view(StoredDefinition s, org.imapra.config.SignInState signIn) {
        MailboxDefinition d = s.definition();
        String signedInAs = null;
        java.time.Instant signedInAt = null;
        String needs = null;
        if (d.delegated()) {
            if (signIn == null) {
                needs = "not connected yet: Connect mailbox";
            } else if (!signIn.matches(d)) {
                needs = "the mailbox, tenant or app changed since " + signIn.signedInAs() + " signed in";
            } else {
                signedInAs = signIn.signedInAs();
                signedInAt = signIn.signedInAt();
                needs = signIn.needsSignIn();
            }
        }
        return new DefinitionView(d.name(), d.userName(), d.tenantId(), d.clientId(), d.clientSecret() != null,
                s.secretChangedAt(), d.certificatePath(), d.certificatePassword() != null, d.cloud().name(),
                d.authorityHostOverride(), d.imapHostOverride(), d.imapPort(), d.scopeOverride(),
                d.saslMechanism().name(), d.connectTimeoutMillis(), d.readTimeoutMillis(), d.httpsProxy(),
                s.version(), s.updatedAt(), s.updatedBy(), d.authMode().name(), signedInAs, signedInAt, needs);
    }

    /** Names of the properties that differ (secrets by name only), for the audit log. */
    static List<String> changes(MailboxDefinition before, MailboxDefinition after) {
        List<String> out = new ArrayList<>();
        if (before == null) {
            out.add("created");
            return out;
        }
        diff(out, "userName", before.userName(), after.userName());
        diff(out, "tenantId", before.tenantId(), after.tenantId());
        diff(out, "clientId", before.clientId(), after.clientId());
        diff(out, "clientSecret", before.clientSecret(), after.clientSecret());
        diff(out, "certificatePath", before.certificatePath(), after.certificatePath());
        diff(out, "certificatePassword", before.certificatePassword(), after.certificatePassword());
        diff(out, "cloud", before.cloud(), after.cloud());
        diff(out, "authorityHost", before.authorityHostOverride(), after.authorityHostOverride());
        diff(out, "imapHost", before.imapHostOverride(), after.imapHostOverride());
        diff(out, "imapPort", before.imapPort(), after.imapPort());
        diff(out, "scope", before.scopeOverride(), after.scopeOverride());
        diff(out, "saslMechanism", before.saslMechanism(), after.saslMechanism());
        diff(out, "connectTimeoutMillis", before.connectTimeoutMillis(), after.connectTimeoutMillis());
        diff(out, "readTimeoutMillis", before.readTimeoutMillis(), after.readTimeoutMillis());
        diff(out, "httpsProxy", before.httpsProxy(), after.httpsProxy());
        diff(out, "authMode", before.authMode(), after.authMode());
        return out;
    }

    private static void diff(List<String> out, String name, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(name);
        }
    }
}
