package org.imapra.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a {@link DefinitionBuilder}'s values; each message names the property and says what to do. */
final class DefinitionValidator {

    static final Pattern GUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern DOMAIN = Pattern.compile(
            "^(?=.{1,253}$)([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z][a-zA-Z0-9-]{0,62}$");
    private static final Pattern HOST = Pattern.compile(
            "^(?=.{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$|^\\[[0-9a-fA-F:.]+\\]$");
    private static final Pattern MAILBOX = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]+$");
    private static final Set<String> MULTI_TENANT = Set.of("common", "organizations", "consumers");

    private final DefinitionBuilder b;
    private final List<Problem> problems = new ArrayList<>();

    DefinitionValidator(DefinitionBuilder b) {
        this.b = b;
    }

    MailboxDefinition toDefinition() {
        checkIdentity();
        checkCredential();
        Cloud cloud = parseEnum("cloud", b.cloud, Cloud.class, Cloud.GLOBAL);
        SaslMechanism mechanism = parseEnum("saslMechanism", b.saslMechanism, SaslMechanism.class, SaslMechanism.XOAUTH2);
        AuthMode authMode = parseEnum("authMode", b.authMode, AuthMode.class, AuthMode.APP_ONLY);
        String authority = checkAuthority();
        checkImap();
        checkScope(authMode);
        positive("connectTimeoutMillis", b.connectTimeoutMillis);
        positive("readTimeoutMillis", b.readTimeoutMillis);
        checkProxy();
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(subject(), problems);
        }
        return new MailboxDefinition(b, cloud, mechanism, authority, authMode);
    }

    private String subject() {
        return b.name != null ? "Mailbox definition '" + b.name + "'"
                : b.userName != null ? "Mailbox definition for " + b.userName : "Mailbox definition";
    }

    private void problem(String property, String message) {
        problems.add(new Problem(property, message));
    }

    private void checkIdentity() {
        if (b.name != null && !b.name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            problem("name", "name '" + b.name + "' may only contain letters, digits, '.', '_' and '-' (at most 64, "
                    + "starting with a letter or digit)");
        }
        if (b.userName == null) {
            problem("userName", "userName is required: the mailbox address, e.g. support@contoso.com");
        } else if (!MAILBOX.matcher(b.userName).matches()) {
            problem("userName", "userName '" + b.userName + "' is not a mailbox address (expected name@domain, "
                    + "e.g. support@contoso.com)");
        }
        if (b.tenantId == null) {
            problem("tenantId", "tenantId is required: the Directory (tenant) ID, a GUID, or a verified domain "
                    + "such as contoso.com");
        } else if (MULTI_TENANT.contains(b.tenantId.toLowerCase(Locale.ROOT))) {
            problem("tenantId", "tenantId '" + b.tenantId + "' cannot be used: app-only (client credentials) tokens "
                    + "are issued only by a specific tenant, and single-tenant apps are refused on /"
                    + b.tenantId + " (AADSTS50194). Use the Directory (tenant) ID GUID or a verified domain");
        } else if (!GUID.matcher(b.tenantId).matches() && !DOMAIN.matcher(b.tenantId).matches()) {
            problem("tenantId", "tenantId '" + b.tenantId + "' is neither a GUID nor a domain name: use the "
                    + "Directory (tenant) ID from the app registration's Overview page");
        }
        if (b.clientId == null) {
            problem("clientId", "clientId is required: the Application (client) ID, a GUID");
        } else if (!GUID.matcher(b.clientId).matches()) {
            problem("clientId", "clientId '" + b.clientId + "' is not a GUID: use the Application (client) ID "
                    + "from the app registration's Overview page");
        } else if (b.tenantId != null && b.clientId.equalsIgnoreCase(b.tenantId)) {
            problem("clientId", "clientId is the same GUID as tenantId: the Application (client) ID and the "
                    + "Directory (tenant) ID are different values on the app registration's Overview page");
        }
    }

    private void checkCredential() {
        if (b.clientSecret != null && b.certificatePath != null) {
            problem("clientSecret", "set either clientSecret or certificatePath, not both");
        } else if (b.clientSecret == null && b.certificatePath == null) {
            problem("clientSecret", "no credential: set clientSecret (the secret's Value) or certificatePath "
                    + "(a PEM or PKCS#12 file with the certificate and its private key)");
        }
        if (b.clientSecret != null) {
            String s = b.clientSecret.reveal();
            if (GUID.matcher(s.strip()).matches()) {
                problem("clientSecret", "clientSecret is a GUID: this looks like the secret's ID; paste its Value "
                        + "(Certificates & secrets → Client secrets → Value, shown only when the secret is created)");
            } else if (!s.equals(s.strip())) {
                problem("clientSecret", "clientSecret begins or ends with white space: paste the Value exactly");
            }
        }
        if (b.certificatePath != null) {
            try {
                Path p = Path.of(b.certificatePath);
                if (!Files.isRegularFile(p)) {
                    problem("certificatePath", "certificatePath '" + b.certificatePath + "' does not exist or is "
                            + "not a file");
                } else if (!Files.isReadable(p)) {
                    problem("certificatePath", "certificatePath '" + b.certificatePath + "' is not readable by "
                            + "the server's user");
                }
            } catch (InvalidPathException e) {
                problem("certificatePath", "certificatePath '" + b.certificatePath + "' is not a valid path: "
                        + e.getReason());
            }
        } else if (b.certificatePassword != null) {
            problem("certificatePassword", "certificatePassword is set but certificatePath is not");
        }
    }

    private <E extends Enum<E>> E parseEnum(String property, String raw, Class<E> type, E dflt) {
        if (raw == null) {
            return dflt;
        }
        try {
            return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            problem(property, property + " '" + raw + "' is not one of "
                    + Arrays.toString(type.getEnumConstants()).replaceAll("[\\[\\]]", ""));
            return dflt;
        }
    }

    private String checkAuthority() {
        if (b.authorityHost == null) {
            return null;
        }
        String raw = b.authorityHost.contains("://") ? b.authorityHost : "https://" + b.authorityHost;
        try {
            URI u = new URI(raw);
            if (!"https".equalsIgnoreCase(u.getScheme())) {
                problem("authorityHost", "authorityHost '" + b.authorityHost + "' must be an https URL: tokens are "
                        + "never requested over plain http");
            } else if (u.getHost() == null || u.getUserInfo() != null || u.getQuery() != null
                    || u.getFragment() != null || (u.getPath() != null && !u.getPath().isEmpty()
                    && !u.getPath().equals("/"))) {
                problem("authorityHost", "authorityHost '" + b.authorityHost + "' must be just scheme, host and "
                        + "optional port, e.g. https://login.microsoftonline.com (the tenant is set in tenantId)");
            } else if (u.getPort() == 0 || u.getPort() > 65535) {
                problem("authorityHost", "authorityHost '" + b.authorityHost + "' has an invalid port");
            } else {
                return "https://" + u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() > 0 ? ":" + u.getPort() : "");
            }
        } catch (URISyntaxException e) {
            problem("authorityHost", "authorityHost '" + b.authorityHost + "' is not a URL: " + e.getReason());
        }
        return null;
    }

    private void checkImap() {
        if (b.imapHost != null && !HOST.matcher(b.imapHost).matches()) {
            problem("imapHost", "imapHost '" + b.imapHost + "' is not a host name (give just the host, e.g. "
                    + "outlook.office365.com; the port goes in imapPort)");
        }
        if (b.imapPort != null && (b.imapPort < 1 || b.imapPort > 65535)) {
            problem("imapPort", "imapPort " + b.imapPort + " is not a TCP port (1 to 65535; IMAP over TLS is 993)");
        }
    }

    private void checkScope(AuthMode authMode) {
        if (b.scope == null) {
            return;
        }
        if (authMode == AuthMode.DELEGATED) {
            if (!b.scope.contains("/IMAP.AccessAsUser.All")) {
                problem("scope", "scope '" + b.scope + "' must contain the delegated permission IMAP.AccessAsUser.All "
                        + "for authMode DELEGATED, e.g. https://outlook.office.com/IMAP.AccessAsUser.All offline_access"
                        + " (or leave it empty)");
            }
            return;
        }
        if (b.scope.contains(" ") || !b.scope.startsWith("https://") || !b.scope.endsWith("/.default")) {
            problem("scope", "scope '" + b.scope + "' must be one resource followed by /.default for app-only "
                    + "access, e.g. https://outlook.office365.com/.default (AADSTS70011 otherwise)");
        }
    }

    private void positive(String property, Integer value) {
        if (value != null && value <= 0) {
            problem(property, property + " must be a positive number of milliseconds, not " + value);
        }
    }

    private void checkProxy() {
        if (b.httpsProxy == null) {
            return;
        }
        int colon = b.httpsProxy.lastIndexOf(':');
        String host = colon > 0 ? b.httpsProxy.substring(0, colon) : "";
        String port = colon > 0 ? b.httpsProxy.substring(colon + 1) : "";
        boolean ok = HOST.matcher(host).matches() && port.matches("\\d{1,5}") && Integer.parseInt(port) >= 1
                && Integer.parseInt(port) <= 65535;
        if (!ok) {
            problem("httpsProxy", "httpsProxy '" + b.httpsProxy + "' must be host:port, e.g. proxy.example.com:3128");
        }
    }
}
