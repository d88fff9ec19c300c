package org.imapra;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;

/**
 * The adapter's packages form a stack with no cycle, read from the compiled classes (imports, fully qualified names
 * and every other reference): {@code api} at the bottom, the resource adapter class at the top. A package may use
 * only the packages below it.
 */
@AnalyzeClasses(packagesOf = ImapResourceAdapter.class, importOptions = ArchitectureTest.AdapterClassesOnly.class)
class ArchitectureTest {

    /** The adapter's own main classes: not its tests, nor the test modules on the class path. */
    static final class AdapterClassesOnly implements ImportOption {
        private static final String ROOT =
                ImapResourceAdapter.class.getProtectionDomain().getCodeSource().getLocation().toString();

        @Override
        public boolean includes(Location location) {
            return location.asURI().toString().startsWith(ROOT);
        }
    }

    /** Bottom to top. */
    private static final List<String> STACK = List.of("api", "api.admin", "auth", "config", "imap", "ping", "cluster", "core",
            "outbound", "inbound", "admin", "");

    @ArchTest
    static final ArchRule noCycleBetweenPackages = slices().matching("org.imapra.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule eachPackageUsesOnlyThoseBelowIt = stack();

    private static ArchRule stack() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String p : STACK) {
            layers = layers.layer(name(p)).definedBy(p.isEmpty() ? "org.imapra" : "org.imapra." + p);
        }
        for (int i = 0; i < STACK.size(); i++) {
            String[] above = STACK.subList(i + 1, STACK.size()).stream().map(ArchitectureTest::name)
                    .toArray(String[]::new);
            layers = above.length == 0 ? layers.whereLayer(name(STACK.get(i))).mayNotBeAccessedByAnyLayer()
                    : layers.whereLayer(name(STACK.get(i))).mayOnlyBeAccessedByLayers(above);
        }
        return layers;
    }

    private static String name(String p) {
        return p.isEmpty() ? "resource adapter" : p;
    }

    /** The stack names every package of the adapter: a new package must be placed in it. */
    @ArchTest
    static final ArchRule everyPackageIsInTheStack = classes().should().resideInAnyPackage(STACK.stream()
            .map(p -> p.isEmpty() ? "org.imapra" : "org.imapra." + p).toArray(String[]::new));
}
