package org.imapra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.resource.spi.ConfigProperty;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imapra.config.MailboxProperties;
import org.imapra.inbound.ImapActivationSpec;
import org.imapra.outbound.ImapManagedConnectionFactory;
import org.junit.jupiter.api.Test;

/** The README tables every config property of the resource adapter, the connection factory and the activation spec. */
class ReadmePropertiesTest {

    @Test
    void everyConfigPropertyIsInAReadmeTable() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        TreeSet<String> tabled = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\|([^|\\n]*)\\|").matcher(readme);
        while (row.find()) {
            Matcher name = Pattern.compile("`([A-Za-z][A-Za-z0-9]*)`").matcher(row.group(1));
            while (name.find()) {
                tabled.add(name.group(1));
            }
        }
        List<String> missing = new ArrayList<>();
        for (Class<?> c : List.of(ImapResourceAdapter.class, ImapManagedConnectionFactory.class,
                ImapActivationSpec.class, MailboxProperties.class)) {
            for (String p : configProperties(c)) {
                if (!tabled.contains(p)) {
                    missing.add(c.getSimpleName() + "." + p);
                }
            }
        }
        assertEquals(List.of(), missing, "config properties with no row in a README table");
    }

    /** The properties {@code c} declares itself: annotated fields and setters. */
    private static List<String> configProperties(Class<?> c) {
        List<String> names = new ArrayList<>();
        for (Field f : c.getDeclaredFields()) {
            if (f.getAnnotation(ConfigProperty.class) != null) {
                names.add(f.getName());
            }
        }
        for (Method m : c.getDeclaredMethods()) {
            if (m.getAnnotation(ConfigProperty.class) != null) {
                names.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
            }
        }
        return names;
    }
}
