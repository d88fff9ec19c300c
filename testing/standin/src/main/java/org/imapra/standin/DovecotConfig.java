package org.imapra.standin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.Locale;

/**
 * The files of a private Dovecot instance under one directory: {@code dovecot.conf}, the {@code oauth2} passdb's
 * settings, the token signing key as Dovecot's key dict wants it ({@code keys/AZP/RS256/KID}, PEM), the TLS key and
 * chain, and the mailbox permissions ({@code grants/passdb/CLIENT_ID/mailbox}, read by a dict passdb).
 */
final class DovecotConfig {
    static final String AUDIENCE = TokenIssuer.EXCHANGE_RESOURCE;

    /**
     * Who the processes run as: as root, Dovecot's own users and {@code nobody} for mail; else everything as the
     * current user and its group ({@code internalGroup}; null as root: the package's {@code dovecot} group).
     */
    record Users(String internal, String login, String internalGroup, String mail, String mailGroup) {
        static Users forThisProcess(Path dir) throws IOException {
            if ("root".equals(System.getProperty("user.name"))) {
                return new Users("dovecot", "dovenull", null, "nobody", groupExists("nogroup") ? "nogroup" : "nobody");
            }
            String me = System.getProperty("user.name");
            String group = Files.readAttributes(dir, PosixFileAttributes.class).group().getName();
            return new Users(me, me, group, null, null);
        }

        private static boolean groupExists(String name) {
            try {
                return Files.readAllLines(Path.of("/etc/group")).stream().anyMatch(l -> l.startsWith(name + ":"));
            } catch (IOException e) {
                return false;
            }
        }
    }

    private final Path dir;
    private final Users users;
    private Path rawlog;

    DovecotConfig(Path dir, Users users) {
        this.dir = dir;
        this.users = users;
    }

    /** Every session after login records what the client sent in {@code dir} ({@link DovecotRawlog}). */
    void rawlog(Path dir) {
        rawlog = dir;
    }

    Path file() {
        return dir.resolve("dovecot.conf");
    }

    Path log() {
        return dir.resolve("dovecot.log");
    }

    Path mailRoot() {
        return dir.resolve("mail");
    }

    /** Writes everything; {@code issuers} are the tenants' {@code iss} values, {@code appIds} the {@code azp}s. */
    void write(int imapsPort, LocalCertificates certificates, TokenIssuer issuer, Collection<String> issuers,
               Collection<String> appIds) {
        try {
            Path secret = Files.createDirectories(dir.resolve("private"));
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rwx------"));
            Key key = certificates.serverKeyStore().getKey("localhost", certificates.serverKeyPassword());
            Files.writeString(secret.resolve("server.key"), pem("PRIVATE KEY", key.getEncoded()));
            StringBuilder chain = new StringBuilder();
            for (Certificate c : certificates.serverKeyStore().getCertificateChain("localhost")) {
                chain.append(pem("CERTIFICATE", c.getEncoded()));
            }
            Files.writeString(dir.resolve("server.crt"), chain);
            for (String appId : appIds) {
                addSigningKey(issuer, appId);
            }
            addSigningKey(issuer, "default"); // a token without azp
            Files.writeString(dir.resolve("oauth2.conf.ext"), oauth2(issuers));
            Files.writeString(dir.resolve("oauth2-delegated.conf.ext"), oauth2Delegated(issuers));
            Files.createDirectories(dir.resolve("grants").resolve("passdb"));
            Files.writeString(dir.resolve("grants.conf.ext"), grantsDict());
            Files.writeString(file(), dovecot(imapsPort));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Dovecot configuration in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot export the server key", e);
        }
    }

    /** Lets tokens whose {@code azp} is {@code appId} be checked against the issuer's key. */
    void addSigningKey(TokenIssuer issuer, String appId) {
        try {
            Path file = dir.resolve("keys").resolve(appId.toLowerCase(Locale.ROOT)).resolve("RS256")
                    .resolve(issuer.keyId());
            Files.createDirectories(file.getParent());
            Files.writeString(file, pem("PUBLIC KEY", issuer.publicKey().getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One file per grant, {@code grants/passdb/CLIENT_ID/mailbox}: Dovecot's dict passdb reads it at every login. */
    void grant(String clientId, String mailbox, boolean granted) {
        Path file = dir.resolve("grants").resolve("passdb").resolve(clientId.trim().toLowerCase(Locale.ROOT))
                .resolve(mailbox.trim().toLowerCase(Locale.ROOT));
        try {
            if (granted) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, "{\"nopassword\": \"y\"}\n");
            } else {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String grantsDict() {
        return String.join("\n",
                "uri = fs:posix:prefix=" + dir.resolve("grants") + "/",
                "key passdb {",
                "  key = passdb/%{passdb:imapra_app}/%u",
                "  format = json",
                "}",
                "passdb_objects = passdb",
                "");
    }

    private String oauth2(Collection<String> issuers) {
        return String.join("\n",
                "introspection_mode = local",
                "local_validation_key_dict = fs:posix:prefix=" + dir.resolve("keys") + "/",
                "issuers = " + String.join(" ", issuers),
                "# compared with aud (Dovecot 2.3.19 of Debian 12 does; older builds ignore it)",
                "client_id = " + AUDIENCE,
                "# the role, as a scalar claim: array claims (roles) are dropped by local validation",
                "active_attribute = " + TokenIssuer.IMAP_ROLE_CLAIM,
                "active_value = " + AppRegistration.IMAP_ACCESS_AS_APP,
                "# an app token names no mailbox: only require the claim; the grants passdb binds app and mailbox",
                "username_attribute = oid",
                "username_format =",
                "pass_attrs = imapra_app=%{oauth2:azp}",
                "");
    }

    /** A delegated token opens the mailbox of its {@code upn}, with {@code IMAP.AccessAsUser.All}. */
    private String oauth2Delegated(Collection<String> issuers) {
        return String.join("\n",
                "introspection_mode = local",
                "local_validation_key_dict = fs:posix:prefix=" + dir.resolve("keys") + "/",
                "issuers = " + String.join(" ", issuers),
                "client_id = " + TokenIssuer.EXCHANGE_DELEGATED_RESOURCE,
                "# read from the scalar claim scope (Entra's is scp)",
                "scope = " + DelegatedGrants.IMAP_ACCESS_AS_USER,
                "username_attribute = upn",
                "");
    }

    private String dovecot(int imapsPort) {
        StringBuilder c = new StringBuilder();
        c.append("# a private instance for tests: nothing here touches /etc/dovecot\n")
                .append("instance_name = imapra-standin-").append(imapsPort).append('\n')
                .append("base_dir = ").append(dir.resolve("run")).append('\n')
                .append("state_dir = ").append(dir.resolve("state")).append('\n')
                .append("log_path = ").append(log()).append('\n')
                .append("protocols = imap\nlisten = 127.0.0.1\n")
                .append("ssl = required\nssl_cert = <").append(dir.resolve("server.crt")).append('\n')
                .append("ssl_key = <").append(dir.resolve("private/server.key")).append('\n')
                .append("default_internal_user = ").append(users.internal()).append('\n')
                .append("default_login_user = ").append(users.login()).append('\n')
                .append(users.internalGroup() == null ? ""
                        : "default_internal_group = " + users.internalGroup() + "\n")
                .append("auth_mechanisms = xoauth2 oauthbearer\nauth_failure_delay = 0\nauth_verbose = yes\n")
                .append("mail_location = maildir:").append(mailRoot()).append("/%Ld/%Ln\n")
                .append("mail_fsync = never\nmail_max_userip_connections = 200\n");
        if (rawlog != null) {
            c.append("protocol imap {\n  rawlog_dir = ").append(rawlog).append("\n}\n");
        }
        if (users.mail() != null) {
            c.append("mail_uid = ").append(users.mail()).append("\nmail_gid = ").append(users.mailGroup())
                    .append('\n');
        }
        c.append("service imap-login {\n  chroot =\n")
                .append("  inet_listener imap {\n    port = 0\n  }\n")
                .append("  inet_listener imaps {\n    address = 127.0.0.1\n    port = ").append(imapsPort)
                .append("\n    ssl = yes\n  }\n}\n")
                .append("# no auth penalty (up to 15 s a login from an IP that failed): refusals are tested\n")
                .append("service anvil {\n").append(users.internalGroup() == null ? "" : "  chroot =\n")
                .append("  unix_listener anvil-auth-penalty {\n")
                .append("    path = anvil-auth-penalty-disabled\n  }\n}\n")
                .append("passdb {\n  name = app-token\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n")
                .append("  args = ")
                .append(dir.resolve("oauth2.conf.ext"))
                .append("\n  result_success = continue-ok\n  result_failure = continue\n}\n")
                .append("# the app token is good: is its app granted this mailbox?\n")
                .append("passdb {\n  name = app-grant\n  driver = dict\n  mechanisms = xoauth2 oauthbearer\n")
                .append("  args = ").append(dir.resolve("grants.conf.ext"))
                .append("\n  skip = unauthenticated\n  result_success = return-ok\n  result_failure = return-fail\n}\n")
                .append("# not an app token: a delegated one?\n")
                .append("passdb {\n  name = delegated-token\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n")
                .append("  args = ").append(dir.resolve("oauth2-delegated.conf.ext"))
                .append("\n  result_success = return-ok\n  result_failure = return-fail\n}\n")
                .append("userdb {\n  driver = static\n  args = ")
                .append(users.mail() == null ? "" : "uid=" + users.mail() + " gid=" + users.mailGroup() + " ")
                .append("home=").append(mailRoot()).append("/%Ld/%Ln\n}\n");
        return c.toString();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
