package org.imapra.console.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;
import org.imapra.standin.LocalM365;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Prepares what Payara Micro needs before Arquillian starts it (register before {@code ArquillianExtension}): starts
 * the local Microsoft 365 stand-in (once per test run), writes the trust store with its CA (system property
 * {@code it.truststore}, given to Micro as {@code javax.net.ssl.trustStore}), empties the adapter's store directory
 * ({@code it.store}, set by the post-boot commands) and names Micro's cluster for this run
 * ({@value #CLUSTER_NAME_PROPERTY}, read by arquillian.xml).
 */
public final class ConsoleExtension implements BeforeAllCallback {

    public static final String CLUSTER_NAME_PROPERTY = "imapra.it.clusterName";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ConsoleExtension.class);

    private static volatile LocalM365 m365;

    public static LocalM365 m365() {
        return Objects.requireNonNull(m365, "the stand-in is not running: register ConsoleExtension first");
    }

    /** The adapter's store directory of this run (definitions, key, audit.log). */
    public static Path store() {
        return Path.of(required("it.store"));
    }

    static String required(String property) {
        return Objects.requireNonNull(System.getProperty(property),
                "system property " + property + " (set by the failsafe configuration)");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        m365 = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(LocalM365.class, key -> start(), LocalM365.class);
    }

    /**
     * Where Payara Micro's output is copied while the tests run (Arquillian prints Micro's output to this JVM's
     * System.out; failsafe writes that to its report file only later).
     */
    public static Path serverLog() {
        return Path.of(required("it.server.log"));
    }

    private static LocalM365 start() {
        LocalM365 started = LocalM365.startDefault();
        try {
            emptyDirectory(store());
            copySystemOutTo(serverLog());
            Path trustStore = Path.of(required("it.truststore"));
            Files.createDirectories(trustStore.toAbsolutePath().getParent());
            started.certificates().writeServerTrustStore(trustStore, required("it.truststore.password").toCharArray());
            System.setProperty(CLUSTER_NAME_PROPERTY, "imapra-console-it-" + ProcessHandle.current().pid());
            return started;
        } catch (Exception e) {
            started.close();
            throw new IllegalStateException("Cannot prepare Payara Micro's start", e);
        }
    }

    private static void copySystemOutTo(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        OutputStream copy = Files.newOutputStream(file);
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                original.write(b);
                copy.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                original.write(b, off, len);
                copy.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                original.flush();
                copy.flush();
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Deletes what {@code dir} holds (and creates it when missing). */
    static void emptyDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }

}
