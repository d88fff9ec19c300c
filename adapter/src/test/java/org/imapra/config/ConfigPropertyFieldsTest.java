package org.imapra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.resource.spi.ConfigProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.imapra.api.admin.MailboxProperty;
import org.imapra.inbound.ImapActivationSpec;
import org.imapra.outbound.ImapManagedConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * The mailbox properties' {@code @ConfigProperty} annotations sit on fields of {@link MailboxProperties}, one per
 * {@link MailboxProperty}, typed as its setter: a server that collects a class's annotated public methods and then
 * its superclass's again (Open Liberty, J2CA9918W) sees each property once.
 */
class ConfigPropertyFieldsTest {

    @Test
    void everyPropertyHasAnAnnotatedFieldTypedAsItsSetterAndNoSetterIsAnnotated() throws Exception {
        for (MailboxProperty p : MailboxProperty.values()) {
            Field f = MailboxProperties.class.getDeclaredField(p.key());
            assertNotNull(f.getAnnotation(ConfigProperty.class), p.key() + " has no @ConfigProperty field");
            String setter = "set" + Character.toUpperCase(p.key().charAt(0)) + p.key().substring(1);
            Method m = MailboxProperties.class.getMethod(setter, f.getType());
            assertEquals(null, m.getAnnotation(ConfigProperty.class), setter + " is annotated too");
            Method getter = MailboxProperties.class.getMethod("get" + setter.substring(3));
            assertEquals(f.getType(), getter.getReturnType(), "getter of " + p.key());
            assertEquals(true, Modifier.isTransient(f.getModifiers()), p.key() + " must stay out of serialization");
        }
    }

    @Test
    void aLibertyStyleScanFindsEachPropertyOnce() {
        for (Class<?> bean : List.of(ImapManagedConnectionFactory.class, ImapActivationSpec.class)) {
            Map<String, Integer> seen = new TreeMap<>();
            for (String name : libertyScan(bean)) {
                seen.merge(name, 1, Integer::sum);
            }
            seen.values().removeIf(n -> n == 1);
            assertEquals(Map.of(), seen, bean.getSimpleName() + ": properties found more than once");
        }
    }

    /** As Open Liberty's annotation processor does: declared fields and all public methods, then the superclass. */
    private static List<String> libertyScan(Class<?> c) {
        List<String> names = new ArrayList<>();
        for (Field f : c.getDeclaredFields()) {
            if (f.getAnnotation(ConfigProperty.class) != null) {
                names.add(f.getName());
            }
        }
        Arrays.stream(c.getMethods()).filter(m -> m.getAnnotation(ConfigProperty.class) != null)
                .forEach(m -> names.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4)));
        if (c.getSuperclass() != null) {
            names.addAll(libertyScan(c.getSuperclass()));
        }
        return names;
    }
}
