package org.imapra.config;

/**
 * How the app proves itself to Entra ID: a client secret, a certificate (file or key store entry) signing a client
 * assertion, or a federated credential (an external OIDC token, e.g. a Kubernetes service-account token, sent as the
 * client assertion).
 */
public enum CredentialKind {
    SECRET,
    CERTIFICATE,
    FEDERATED
}
