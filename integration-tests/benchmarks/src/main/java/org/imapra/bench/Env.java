package org.imapra.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The machine and the versions the report names. */
final class Env {

    private static final Properties VERSIONS = new Properties();

    static {
        try (InputStream in = Env.class.getResourceAsStream("/imapra-bench-versions.properties")) {
            if (in != null) {
                VERSIONS.load(in);
            }
        } catch (IOException e) {
            // versions unknown
        }
    }

    private Env() {
    }

    static String version(String name) {
        return VERSIONS.getProperty(name, "?");
    }

    static String machine() {
        Runtime rt = Runtime.getRuntime();
        long memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return rt.availableProcessors() + " cores (" + cpuModel() + "), "
                + (memory > 0 ? Report.f1(memory / (1024.0 * 1024 * 1024)) + " GiB memory" : "memory unknown")
                + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + ", " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")";
    }

    /** The load average at the start: how busy the machine was with other work. */
    static String loadAverage() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? "unknown" : Report.f2(l);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** {@code dovecot --version} (first word), or "?" when it cannot be run. */
    static synchronized String dovecot() {
        if (dovecot == null) {
            dovecot = "?";
            try {
                Process p = new ProcessBuilder("dovecot", "--version").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                if (p.waitFor() == 0 && !out.isEmpty()) {
                    dovecot = out.split(" ")[0];
                }
            } catch (IOException e) {
                // not installed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return dovecot;
    }

    private static String dovecot;

    static String versions() {
        return "imapra " + version("imapra") + ", Angus Mail " + version("angus-mail") + ", MSAL4J "
                + version("msal4j") + ", Dovecot " + dovecot() + ", GreenMail " + version("greenmail") + ", JMH " + version("jmh")
                + ", Jakarta EE API " + version("jakartaee-api") + ", Payara Micro " + version("payara-micro")
                + " (P1 and the MDB in a container)";
    }
}
