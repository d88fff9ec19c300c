package org.imapra.config;

import static org.imapra.api.admin.MailboxProperty.*;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.imapra.api.admin.MailboxProperty;
import org.imapra.auth.HttpsProxy;

/** Checks a {@link DefinitionBuilder}'s values; each message names the property and says what to do. */
final class DefinitionValidator {

    static final Pattern GUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern DOMAIN = Pattern.compile(
            "^(?=.{1,253}$)([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z][a-zA-Z0-9-]{0,62}$");
    private static final Pattern MAILBOX = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]+$");
    /** The largest tokenRenewalMarginSeconds: half an hour, half the shortest Microsoft 365 token lifetime. */
    static final int MAX_RENEWAL_MARGIN_SECONDS = 1800;
    private static final Set<String> MULTI_TENANT = Set.of("common", "organizations", "consumers");

    private final DefinitionBuilder b;
    private final List<Problem> problems = new ArrayList<>();

    private final boolean checkFiles;

    /** @param checkFiles whether certificatePath must name a readable file now (not when read from the store) */
    DefinitionValidator(DefinitionBuilder b, boolean checkFiles) {
        this.b = CredentialChecks.withEnvironment(b);
        this.checkFiles = checkFiles;
    }

    MailboxDefinition toDefinition() {
        checkIdentity();
        CredentialKind credential = new CredentialChecks(b, checkFiles, problems).check();
        Cloud cloud = parseEnum(CLOUD, Cloud.class);
        SaslMechanism mechanism = parseEnum(SASL_MECHANISM, SaslMechanism.class);
        AuthMode authMode = parseEnum(AUTH_MODE, AuthMode.class);
        String authority = checkAuthority();
        checkImap();
        checkScope(authMode);
        positive(CONNECT_TIMEOUT_MILLIS);
        positive(READ_TIMEOUT_MILLIS);
        Integer budget = b.number(MAX_CONNECTIONS_PER_MAILBOX);
        if (budget != null && budget <= 0) {
            problem(MAX_CONNECTIONS_PER_MAILBOX.key(), "maxConnectionsPerMailbox must be at least 1, not " + budget);
        }
        Integer margin = b.number(TOKEN_RENEWAL_MARGIN_SECONDS);
        if (margin != null && (margin < 0 || margin > MAX_RENEWAL_MARGIN_SECONDS)) {
            problem(TOKEN_RENEWAL_MARGIN_SECONDS.key(), "tokenRenewalMarginSeconds " + margin + " is out of range: 0 to "
                    + MAX_RENEWAL_MARGIN_SECONDS + " seconds (tokens of Microsoft 365 live 60 to 90 minutes; leave "
                    + "it empty for the automatic margin)");
        }
        HttpsProxy proxy = checkProxy();
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(subject(), problems);
        }
        Map<MailboxProperty, Object> values = new EnumMap<>(b.values);
        for (MailboxProperty p : MailboxProperty.values()) {
            if (p.defaultValue() != null) {
                values.putIfAbsent(p, p.defaultValue());
            }
        }
        values.put(CLOUD, cloud.name());
        values.put(SASL_MECHANISM, mechanism.name());
        values.put(AUTH_MODE, authMode.name());
        if (values.containsKey(CREDENTIAL)) {
            values.put(CREDENTIAL, credential.name());
        }
        if (authority != null) {
            values.put(AUTHORITY_HOST, authority);
        }
        return new MailboxDefinition(b.name, values, cloud, mechanism, authMode, proxy, credential);
    }

    private String subject() {
        return b.name != null ? "Mailbox definition '" + b.name + "'"
                : b.text(USER_NAME) != null ? "Mailbox definition for " + b.text(USER_NAME) : "Mailbox definition";
    }

    private void problem(String property, String message) {
        problems.add(new Problem(property, message));
    }

    private void checkIdentity() {
        String user = b.text(USER_NAME);
        String tenant = b.text(TENANT_ID);
        String client = b.text(CLIENT_ID);
        if (b.name != null && !b.name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            problem("name", "name '" + b.name + "' may only contain letters, digits, '.', '_' and '-' (at most 64, "
                    + "starting with a letter or digit)");
        }
        if (user == null) {
            problem("userName", "userName is required: the mailbox address, e.g. support@contoso.com");
        } else if (!MAILBOX.matcher(user).matches()) {
            problem("userName", "userName '" + user + "' is not a mailbox address (expected name@domain, "
                    + "e.g. support@contoso.com)");
        }
        if (tenant == null) {
            problem("tenantId", "tenantId is required: the Directory (tenant) ID, a GUID, or a verified domain "
                    + "such as contoso.com");
        } else if (MULTI_TENANT.contains(tenant.toLowerCase(Locale.ROOT))) {
            problem("tenantId", "tenantId '" + tenant + "' cannot be used: app-only (client credentials) tokens "
                    + "are issued only by a specific tenant, and single-tenant apps are refused on /"
                    + tenant + " (AADSTS50194). Use the Directory (tenant) ID GUID or a verified domain");
        } else if (!GUID.matcher(tenant).matches() && !DOMAIN.matcher(tenant).matches()) {
            problem("tenantId", "tenantId '" + tenant + "' is neither a GUID nor a domain name: use the "
                    + "Directory (tenant) ID from the app registration's Overview page");
        }
        if (client == null) {
            problem("clientId", "clientId is required: the Application (client) ID, a GUID");
        } else if (!GUID.matcher(client).matches()) {
            problem("clientId", "clientId '" + client + "' is not a GUID: use the Application (client) ID "
                    + "from the app registration's Overview page");
        } else if (tenant != null && client.equalsIgnoreCase(tenant)) {
            problem("clientId", "clientId is the same GUID as tenantId: the Application (client) ID and the "
                    + "Directory (tenant) ID are different values on the app registration's Overview page");
        }
    }

    private <E extends Enum<E>> E parseEnum(MailboxProperty property, Class<E> type) {
        String raw = b.text(property);
        E dflt = Enum.valueOf(type, (String) property.defaultValue());
        if (raw == null) {
            return dflt;
        }
        try {
            return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            problem(property.key(), property.key() + " '" + raw + "' is not one of "
                    + Arrays.toString(type.getEnumConstants()).replaceAll("[\\[\\]]", ""));
            return dflt;
        }
    }

    private String checkAuthority() {
        String given = b.text(AUTHORITY_HOST);
        if (given == null) {
            return null;
        }
        String raw = given.contains("://") ? given : "https://" + given;
        try {
            URI u = new URI(raw);
            if (!"https".equalsIgnoreCase(u.getScheme())) {
                problem("authorityHost", "authorityHost '" + given + "' must be an https URL: tokens are "
                        + "never requested over plain http");
            } else if (u.getHost() == null || u.getUserInfo() != null || u.getQuery() != null
                    || u.getFragment() != null || (u.getPath() != null && !u.getPath().isEmpty()
                    && !u.getPath().equals("/"))) {
                problem("authorityHost", "authorityHost '" + given + "' must be just scheme, host and "
                        + "optional port, e.g. https://login.microsoftonline.com (the tenant is set in tenantId)");
            } else if (u.getPort() == 0 || u.getPort() > 65535) {
                problem("authorityHost", "authorityHost '" + given + "' has an invalid port");
            } else {
                return "https://" + u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() > 0 ? ":" + u.getPort() : "");
            }
        } catch (URISyntaxException e) {
            problem("authorityHost", "authorityHost '" + given + "' is not a URL: " + e.getReason());
        }
        return null;
    }

    private void checkImap() {
        String host = b.text(IMAP_HOST);
        Integer port = b.number(IMAP_PORT);
        if (host != null && !HttpsProxy.isHostName(host)) {
            problem("imapHost", "imapHost '" + host + "' is not a host name (give just the host, e.g. "
                    + "outlook.office365.com; the port goes in imapPort)");
        }
        if (port != null && (port < 1 || port > 65535)) {
            problem("imapPort", "imapPort " + port + " is not a TCP port (1 to 65535; IMAP over TLS is 993)");
        }
    }

    private void checkScope(AuthMode authMode) {
        String scope = b.text(SCOPE);
        if (scope == null) {
            return;
        }
        if (authMode == AuthMode.DELEGATED) {
            if (!scope.contains("/IMAP.AccessAsUser.All")) {
                problem("scope", "scope '" + scope + "' must contain the delegated permission "
                        + "IMAP.AccessAsUser.All for authMode DELEGATED, e.g. "
                        + "https://outlook.office.com/IMAP.AccessAsUser.All offline_access (or leave it empty)");
            }
            return;
        }
        if (scope.contains(" ") || !scope.startsWith("https://") || !scope.endsWith("/.default")) {
            problem("scope", "scope '" + scope + "' must be one resource followed by /.default for app-only "
                    + "access, e.g. https://outlook.office365.com/.default (AADSTS70011 otherwise)");
        }
    }

    private void positive(MailboxProperty property) {
        Integer value = b.number(property);
        if (value != null && value <= 0) {
            problem(property.key(), property.key() + " must be a positive number of milliseconds, not " + value);
        }
    }

    private HttpsProxy checkProxy() {
        String raw = b.text(HTTPS_PROXY);
        if (raw == null) {
            return null;
        }
        Optional<HttpsProxy> proxy = HttpsProxy.parse(raw);
        if (proxy.isEmpty()) {
            problem("httpsProxy", "httpsProxy '" + raw + "' must be host:port, e.g. proxy.example.com:3128");
        }
        return proxy.orElse(null);
    }
}
