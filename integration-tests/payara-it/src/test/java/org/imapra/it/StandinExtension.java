package org.imapra.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.imapra.config.FileDefinitionStore;
import org.imapra.config.MailboxDefinition;
import org.imapra.standin.LocalCertificates;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the local Microsoft 365 stand-in in the test JVM before Arquillian starts Payara Micro: register it before
 * {@code ArquillianExtension} ({@code @ExtendWith} order), so its {@code beforeAll} runs first. One stand-in per
 * test run (JUnit's root store closes it at the end).
 *
 * <p>What Payara Micro needs is handed over through files and system properties that arquillian.xml reads when
 * Arquillian starts (after this extension):
 * <ul>
 *   <li>the trust store (the JDK's valid CAs plus the stand-in's freshly generated CA, PKCS12, password
 *       {@code changeit}) at the path of system property {@value #TRUST_STORE_PROPERTY}
 *       ({@code target/standin-truststore.p12}, set by failsafe), given to Micro as {@code javax.net.ssl.trustStore};</li>
 *   <li>{@value #AUTHORITY_HOST_PROPERTY} and {@value #IMAPS_PORT_PROPERTY}: the stand-in's dynamic endpoints, passed to
 *       Micro as {@code -D} options and expanded by Payara in the connection factory definition's properties;</li>
 *   <li>{@value #CLUSTER_NAME_PROPERTY}: Micro's cluster name for this run.</li>
 * </ul>
 */
public final class StandinExtension implements BeforeAllCallback {

    public static final String AUTHORITY_HOST_PROPERTY = "imapra.it.authorityHost";
    public static final String IMAPS_PORT_PROPERTY = "imapra.it.imapsPort";
    public static final String TRUST_STORE_PROPERTY = "it.truststore";
    public static final String TRUST_STORE_PASSWORD_PROPERTY = "it.truststore.password";
    /** The adapter's definitions store directory of this run. */
    public static final String STORE_PROPERTY = "it.store";
    /** The file create-password-alias reads in the post-boot commands ({@code AS_ADMIN_ALIASPASSWORD=...}). */
    public static final String ALIAS_PASSWORD_PROPERTY = "it.aliaspassword";
    /** A Hazelcast cluster name of this run's own, so Micro never joins another build's Micro on this machine. */
    public static final String CLUSTER_NAME_PROPERTY = "imapra.it.clusterName";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StandinExtension.class);

    private static volatile LocalM365 m365;

    /** The running stand-in (from the first beforeAll of this extension to the end of the test run). */
    public static LocalM365 m365() {
        return Objects.requireNonNull(m365, "the stand-in is not running: register StandinExtension first");
    }

    /**
     * Starts the stand-in once per test run (root store: closed when the run ends, after every Payara Micro has
     * stopped), so that its ports, which arquillian.xml reads once, stay valid for every test class.
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        m365 = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(LocalM365.class, key -> start(), LocalM365.class);
    }

    private static LocalM365 start() {
        LocalM365 started = LocalM365.startDefault();
        try {
            Path trustStore = Path.of(Objects.requireNonNull(System.getProperty(TRUST_STORE_PROPERTY),
                    "system property " + TRUST_STORE_PROPERTY + " (set by the failsafe configuration)"));
            Files.createDirectories(trustStore.toAbsolutePath().getParent());
            started.certificates().writeServerTrustStore(trustStore, System.getProperty(TRUST_STORE_PASSWORD_PROPERTY,
                    LocalCertificates.JVM_TRUST_STORE_PASSWORD).toCharArray());
            System.setProperty(AUTHORITY_HOST_PROPERTY, started.authorityHost());
            System.setProperty(IMAPS_PORT_PROPERTY, Integer.toString(started.imapsPort()));
            System.setProperty(CLUSTER_NAME_PROPERTY, "imapra-it-" + ProcessHandle.current().pid());
            writeSupportDefinition(started);
            writeAliasedDefinition(started);
            return started;
        } catch (Exception e) {
            started.close();
            throw new IllegalStateException("Cannot hand the stand-in over to Payara Micro", e);
        }
    }

    /**
     * The named definition {@code support} in the adapter's store (system property {@value #STORE_PROPERTY}, the
     * {@code storeDirectory} of the post-boot commands), as the console would save it, so MDBs can use
     * {@code mailbox=support}; and the {@code Processed} folder their {@code afterDelivery=MOVE} needs.
     */
    private static void writeSupportDefinition(LocalM365 m365) throws Exception {
        Path dir = Path.of(Objects.requireNonNull(System.getProperty(STORE_PROPERTY), STORE_PROPERTY));
        if (Files.isDirectory(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        FileDefinitionStore.open(dir).save(MailboxDefinition.builder().name("support")
                .userName(LocalM365.DEFAULT_MAILBOX).tenantId(LocalM365.DEFAULT_TENANT_ID)
                .clientId(LocalM365.DEFAULT_CLIENT_ID).clientSecret(LocalM365.DEFAULT_CLIENT_SECRET)
                .authorityHost(m365.authorityHost()).imapHost(m365.imapHost()).imapPort(m365.imapsPort())
                .build(), 0, true, "payara-it");
        var greenMail = m365.mailServer().greenMail();
        greenMail.getManagers().getImapHostManager().createMailbox(
                greenMail.getUserManager().getUserByEmail(LocalM365.DEFAULT_MAILBOX), "Processed");
    }

    /**
     * The password alias' value for the post-boot commands (the stand-in app's secret), and the stored definition
     * {@code aliased} whose clientSecret refers to that alias instead of holding the value.
     */
    private static void writeAliasedDefinition(LocalM365 m365) throws Exception {
        Path file = Path.of(Objects.requireNonNull(System.getProperty(ALIAS_PASSWORD_PROPERTY),
                ALIAS_PASSWORD_PROPERTY));
        Files.writeString(file, "AS_ADMIN_ALIASPASSWORD=" + LocalM365.DEFAULT_CLIENT_SECRET + "\n");
        Path dir = Path.of(System.getProperty(STORE_PROPERTY));
        FileDefinitionStore.open(dir).save(MailboxDefinition.builder().name("aliased")
                .userName(LocalM365.DEFAULT_MAILBOX).tenantId(LocalM365.DEFAULT_TENANT_ID)
                .clientId(LocalM365.DEFAULT_CLIENT_ID).clientSecret("${ALIAS=imapra-it-secret}")
                .authorityHost(m365.authorityHost()).imapHost(m365.imapHost()).imapPort(m365.imapsPort())
                .build(), 0, true, "payara-it");
    }
}
