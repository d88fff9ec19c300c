package org.imapra.console;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.imapra.api.admin.DefinitionException;
import org.imapra.api.admin.DefinitionInput;
import org.imapra.api.admin.DefinitionView;
import org.imapra.api.admin.MailboxProperty;

/**
 * Create ({@code edit.xhtml}) or change ({@code edit.xhtml?name=support}) a definition. Secrets are write-only: the
 * form shows whether one is set and when it was last changed; an empty secret field keeps the stored secret. Whatever
 * was typed into a secret field is wiped from this bean after every save attempt.
 */
@Named("edit")
@ViewScoped
public class EditPage implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(EditPage.class.getName());
    static final String FORM = "definition";
    static final Set<String> FIELDS = Set.of("name", "userName", "tenantId", "clientId", "clientSecret",
            "certificatePath", "certificatePassword", "cloud", "authorityHost", "imapHost", "imapPort", "scope",
            "saslMechanism", "connectTimeoutMillis", "readTimeoutMillis", "maxConnectionsPerMailbox",
            "tokenRenewalMarginSeconds", "httpsProxy", "authMode", "credential", "certificateKeyStore",
            "certificateAlias", "federatedTokenFile", "nextClientSecret", "nextCertificatePath", "nextCertificateAlias",
            "secretExpires", "nextSecretExpires");

    @Inject
    AdminAccess access;

    private String name;
    private DefinitionView existing;
    private DefinitionInput input = new DefinitionInput();
    private org.imapra.api.admin.LiveStatus status;

    /** View action: loads the definition to change, if a name was given. */
    public void load() {
        if (Pages.blank(name)) {
            return;
        }
        Optional<DefinitionView> found = access.admin().get(name);
        if (found.isEmpty()) {
            Pages.error("There is no definition named '" + name + "'.");
            Pages.redirectNow("/index.xhtml");
            return;
        }
        existing = found.get();
        input = existing.toInput();
        try {
            status = access.admin().status(name);
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.FINE, "No live status for " + name, e);
        }
        if (existing.delegated()) {
            allowFormActionTo(authorityOrigin(existing));
        }
    }

    /**
     * Connect mailbox: starts the delegated sign-in (the adapter keeps the PKCE verifier; this session keeps the
     * state) and sends the browser to the tenant's authorize endpoint.
     */
    public String connect() {
        jakarta.faces.context.ExternalContext ext = jakarta.faces.context.FacesContext.getCurrentInstance()
                .getExternalContext();
        try {
            org.imapra.api.admin.AuthorizationStart start = access.admin().startAuthorization(existing.name(),
                    getRedirectUri(), access.actor());
            SignIns.started((jakarta.servlet.http.HttpSession) ext.getSession(true), start.state(), existing.name());
            LOG.fine(() -> "Sign-in for " + existing.name() + " started by " + access.actor());
            ext.redirect(start.authorizeUrl());
            jakarta.faces.context.FacesContext.getCurrentInstance().responseComplete();
        } catch (DefinitionException e) {
            Pages.error(e.getMessage());
        } catch (java.io.IOException e) {
            Pages.error("Cannot redirect to the sign-in page: " + e.getMessage());
        }
        return null;
    }

    /** The console's fixed callback URL: register it on the app registration (Authentication → Web). */
    public String getRedirectUri() {
        jakarta.faces.context.ExternalContext ext = jakarta.faces.context.FacesContext.getCurrentInstance()
                .getExternalContext();
        return SignIns.redirectUri((jakarta.servlet.http.HttpServletRequest) ext.getRequest(),
                (jakarta.servlet.ServletContext) ext.getContext());
    }

    private static String authorityOrigin(DefinitionView v) {
        Object authority = v.value(MailboxProperty.AUTHORITY_HOST);
        if (authority != null) {
            return (String) authority;
        }
        return switch ((String) v.value(MailboxProperty.CLOUD)) {
            case "USGOV", "USGOV_DOD" -> "https://login.microsoftonline.us";
            case "CHINA" -> "https://login.partner.microsoftonline.cn";
            default -> "https://login.microsoftonline.com";
        };
    }

    /** Connect mailbox's form redirects to the authorize endpoint: allow that origin as a form target here. */
    private static void allowFormActionTo(String origin) {
        if (origin == null || !origin.matches("https://[A-Za-z0-9.-]+(:\\d{1,5})?")) {
            return;
        }
        jakarta.servlet.http.HttpServletResponse res = (jakarta.servlet.http.HttpServletResponse)
                jakarta.faces.context.FacesContext.getCurrentInstance().getExternalContext().getResponse();
        res.setHeader("Content-Security-Policy", SecurityHeadersFilter.CSP.replace("form-action 'self'",
                "form-action 'self' " + origin));
    }

    public String save() {
        DefinitionInput in = normalized();
        try {
            DefinitionView saved;
            if (existing == null) {
                saved = access.admin().create(in, access.actor());
                Pages.info("Definition '" + saved.name() + "' created.");
            } else {
                saved = access.admin().update(existing.name(), existing.version(), in, access.actor());
                Pages.info("Definition '" + saved.name() + "' saved.");
            }
            LOG.fine(() -> "Definition " + saved.name() + " saved (version " + saved.version() + ")");
            return Pages.redirect("/index.xhtml");
        } catch (DefinitionException e) {
            switch (e.reason()) {
                case ALREADY_EXISTS -> Pages.field(FORM, "name", e.getMessage());
                case CONFLICT -> Pages.error(e.getMessage() + " Reload the page to see the current definition, "
                        + "then make your change again.");
                default -> Pages.show(e, FORM, fields());
            }
            if (input.getClientSecret() != null || input.getCertificatePassword() != null
                    || input.getNextClientSecret() != null) {
                Pages.warn("For your safety, secrets you typed are not shown again: type them again.");
            }
            return null;
        } finally {
            in.wipeSecrets();
            input.wipeSecrets();
            input.setClientSecret(null);
            input.setNextClientSecret(null);
            input.setCertificatePassword(null);
        }
    }

    /** The form's values with blanks as "not set". */
    private DefinitionInput normalized() {
        DefinitionInput in = new DefinitionInput();
        in.setName(existing != null ? existing.name() : Pages.trim(input.getName()));
        in.setUserName(Pages.trim(input.getUserName()));
        in.setTenantId(Pages.trim(input.getTenantId()));
        in.setClientId(Pages.trim(input.getClientId()));
        in.setClientSecret(input.getClientSecret());
        in.setCertificatePath(Pages.trim(input.getCertificatePath()));
        in.setCertificatePassword(input.getCertificatePassword());
        in.setCloud(Pages.trim(input.getCloud()));
        in.setAuthorityHost(Pages.trim(input.getAuthorityHost()));
        in.setImapHost(Pages.trim(input.getImapHost()));
        in.setImapPort(input.getImapPort());
        in.setScope(Pages.trim(input.getScope()));
        in.setSaslMechanism(Pages.trim(input.getSaslMechanism()));
        in.setConnectTimeoutMillis(input.getConnectTimeoutMillis());
        in.setReadTimeoutMillis(input.getReadTimeoutMillis());
        in.setMaxConnectionsPerMailbox(input.getMaxConnectionsPerMailbox());
        in.setTokenRenewalMarginSeconds(input.getTokenRenewalMarginSeconds());
        in.setHttpsProxy(Pages.trim(input.getHttpsProxy()));
        in.setAuthMode(Pages.trim(input.getAuthMode()));
        in.setCredential(Pages.trim(input.getCredential()));
        in.setCertificateKeyStore(Pages.trim(input.getCertificateKeyStore()));
        in.setCertificateAlias(Pages.trim(input.getCertificateAlias()));
        in.setFederatedTokenFile(Pages.trim(input.getFederatedTokenFile()));
        in.setNextClientSecret(input.getNextClientSecret());
        in.setNextCertificatePath(Pages.trim(input.getNextCertificatePath()));
        in.setNextCertificateAlias(Pages.trim(input.getNextCertificateAlias()));
        in.setSecretExpires(Pages.trim(input.getSecretExpires()));
        in.setNextSecretExpires(Pages.trim(input.getNextSecretExpires()));
        return in;
    }

    /** The fields on the form: the name only when creating (it cannot be changed). */
    private Set<String> fields() {
        if (existing == null) {
            return FIELDS;
        }
        Set<String> editable = new java.util.HashSet<>(FIELDS);
        editable.remove("name");
        return editable;
    }

    public boolean isCreating() {
        return existing == null;
    }

    public List<String> getClouds() {
        return List.of("GLOBAL", "USGOV", "USGOV_DOD", "CHINA");
    }

    public List<String> getAuthModes() {
        return List.of("APP_ONLY", "DELEGATED");
    }

    /** Empty: the kind whose fields are filled in. */
    public List<String> getCredentials() {
        return List.of("", "SECRET", "CERTIFICATE", "FEDERATED");
    }

    /** The definition's live state (credential in use and its expiry), or null when creating. */
    public org.imapra.api.admin.LiveStatus getStatus() {
        return status;
    }

    public List<String> getSaslMechanisms() {
        return List.of("XOAUTH2", "OAUTHBEARER");
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public DefinitionView getExisting() {
        return existing;
    }

    public DefinitionInput getInput() {
        return input;
    }
}
