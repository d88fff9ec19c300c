package org.imapra.config;

/** Microsoft 365 national clouds: where tokens come from and where IMAP lives. Every value can be overridden. */
public enum Cloud {
    GLOBAL("login.microsoftonline.com", "outlook.office365.com"),
    USGOV("login.microsoftonline.us", "outlook.office365.us"),
    USGOV_DOD("login.microsoftonline.us", "outlook-dod.office365.us"),
    CHINA("login.partner.microsoftonline.cn", "partner.outlook.cn");

    private final String authorityHost;
    private final String imapHost;

    Cloud(String authorityHost, String imapHost) {
        this.authorityHost = authorityHost;
        this.imapHost = imapHost;
    }

    /** The Entra ID sign-in host, e.g. {@code login.microsoftonline.com}. */
    public String authorityHost() {
        return authorityHost;
    }

    /** The Exchange Online IMAP host, e.g. {@code outlook.office365.com}. */
    public String imapHost() {
        return imapHost;
    }

    /**
     * The delegated scopes: {@code IMAP.AccessAsUser.All} of the cloud's Outlook resource, and {@code offline_access}
     * for a refresh token.
     */
    public String delegatedScope() {
        String resource = this == GLOBAL ? "outlook.office.com" : imapHost;
        return "https://" + resource + "/IMAP.AccessAsUser.All offline_access";
    }

    /** The app-only scope: the IMAP host's resource plus {@code /.default}. */
    public String appOnlyScope() {
        return "https://" + imapHost + "/.default";
    }
}
