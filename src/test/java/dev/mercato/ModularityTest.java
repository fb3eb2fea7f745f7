package dev.mercato;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * Fails the build when a module uses another it does not declare in its {@code package-info.java}
 * ({@code @ApplicationModule(allowedDependencies = ...)}), reaches into another's internals, or the modules form a
 * cycle. Writes the module diagrams (PlantUML, C4) to {@code target/spring-modulith-docs}, and keeps the module map
 * in docs/architecture.md true to the code (its arrows, leaving out those to the foundation every module uses).
 */
class ModularityTest {

    private static final ApplicationModules MODULES = ApplicationModules.of(MercatoApplication.class);
    /** Modules every other may use; the map in the docs leaves their arrows out and says so. */
    private static final Set<String> FOUNDATION = Set.of("shared", "web", "security", "crypto");

    private static final Pattern EDGE = Pattern.compile("^\\s*(\\w+)\\s*-->\\s*(\\w+)\\s*$", Pattern.MULTILINE);

    @Test
    void modulesUseOnlyWhatTheyDeclare() {
        MODULES.verify();
    }

    @Test
    void theModuleMapInTheDocsIsTheCodes() throws IOException {
        Set<String> inCode = new TreeSet<>();
        for (ApplicationModule module : MODULES) {
            module.getDirectDependencies(MODULES)
                    .uniqueModules()
                    .filter(target ->
                            !FOUNDATION.contains(target.getIdentifier().toString()))
                    .forEach(target -> inCode.add(module.getIdentifier() + " --> " + target.getIdentifier()));
        }
        String doc = Files.readString(Path.of("docs/architecture.md"));
        Set<String> inDocs = new TreeSet<>();
        Matcher edge = EDGE.matcher(doc);
        while (edge.find()) {
            inDocs.add(edge.group(1) + " --> " + edge.group(2));
        }
        assertThat(inDocs).as("the module map in docs/architecture.md").isEqualTo(inCode);
    }

    @Test
    void writesTheModuleDiagrams() {
        new Documenter(MODULES).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
    }
}
