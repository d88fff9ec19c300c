package org.imapra.config;

/** How the access token is presented to the IMAP server. */
public enum SaslMechanism {
    /** Microsoft's and Google's mechanism; what Exchange Online expects. */
    XOAUTH2,
    /** RFC 7628, the standard alternative. */
    OAUTHBEARER
}
