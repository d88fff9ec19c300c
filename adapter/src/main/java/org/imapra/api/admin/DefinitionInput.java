package org.imapra.api.admin;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What an administrator enters for a mailbox definition. Plain JavaBean for forms. Secrets are {@code char[]}: an
 * empty or null secret on update keeps the stored one. {@link #toString()} never shows secrets.
 */
public class DefinitionInput implements Serializable {

    private static final long serialVersionUID = 1L;

    private String name;
    private String userName;
    private String tenantId;
    private String clientId;
    private char[] clientSecret;
    private String certificatePath;
    private char[] certificatePassword;
    private String cloud = "GLOBAL";
    private String authorityHost;
    private String imapHost;
    private Integer imapPort;
    private String scope;
    private String saslMechanism = "XOAUTH2";
    private Integer connectTimeoutMillis;
    private Integer readTimeoutMillis;
    private String httpsProxy;
    private String authMode = "APP_ONLY";

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUserName() {
        return userName;
    }

    public void setUserName(String userName) {
        this.userName = userName;
    }

    public String getTenantId() {
        return tenantId;
    }

    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public char[] getClientSecret() {
        return clientSecret == null ? null : clientSecret.clone();
    }

    public void setClientSecret(char[] clientSecret) {
        this.clientSecret = clientSecret == null ? null : clientSecret.clone();
    }

    public String getCertificatePath() {
        return certificatePath;
    }

    public void setCertificatePath(String certificatePath) {
        this.certificatePath = certificatePath;
    }

    public char[] getCertificatePassword() {
        return certificatePassword == null ? null : certificatePassword.clone();
    }

    public void setCertificatePassword(char[] certificatePassword) {
        this.certificatePassword = certificatePassword == null ? null : certificatePassword.clone();
    }

    public String getCloud() {
        return cloud;
    }

    public void setCloud(String cloud) {
        this.cloud = cloud;
    }

    public String getAuthorityHost() {
        return authorityHost;
    }

    public void setAuthorityHost(String authorityHost) {
        this.authorityHost = authorityHost;
    }

    public String getImapHost() {
        return imapHost;
    }

    public void setImapHost(String imapHost) {
        this.imapHost = imapHost;
    }

    public Integer getImapPort() {
        return imapPort;
    }

    public void setImapPort(Integer imapPort) {
        this.imapPort = imapPort;
    }

    public String getScope() {
        return scope;
    }

    public void setScope(String scope) {
        this.scope = scope;
    }

    public String getSaslMechanism() {
        return saslMechanism;
    }

    public void setSaslMechanism(String saslMechanism) {
        this.saslMechanism = saslMechanism;
    }

    public Integer getConnectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public void setConnectTimeoutMillis(Integer connectTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    public Integer getReadTimeoutMillis() {
        return readTimeoutMillis;
    }

    public void setReadTimeoutMillis(Integer readTimeoutMillis) {
        this.readTimeoutMillis = readTimeoutMillis;
    }

    public String getHttpsProxy() {
        return httpsProxy;
    }

    public void setHttpsProxy(String httpsProxy) {
        this.httpsProxy = httpsProxy;
    }

    public String getAuthMode() {
        return authMode;
    }

    public void setAuthMode(String authMode) {
        this.authMode = authMode;
    }

    /** Overwrites the secrets in memory. */
    public void wipeSecrets() {
        if (clientSecret != null) {
            Arrays.fill(clientSecret, '\0');
        }
        if (certificatePassword != null) {
            Arrays.fill(certificatePassword, '\0');
        }
    }

    @Override
    public String toString() {
        return "DefinitionInput[name=" + name + ", userName=" + userName + ", tenantId=" + tenantId + ", clientId="
                + clientId + ", clientSecret=" + (clientSecret == null || clientSecret.length == 0 ? "unset" : "********")
                + ", certificatePath=" + certificatePath + ", cloud=" + cloud + "]";
    }
}
