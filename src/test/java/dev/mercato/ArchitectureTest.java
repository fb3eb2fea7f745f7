package dev.mercato;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Repository;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The rules of the house that the compiler does not check (ModularityTest checks the modules' declared
 * dependencies): the domain below the controllers knows nothing of HTTP, a module's repositories are its own,
 * and the modules form no cycle.
 */
class ArchitectureTest {

    private static final JavaClasses MERCATO = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.mercato");

    /** What speaks the domain: services, repositories, and the shared kernel. */
    private static final DescribedPredicate<JavaClass> DOMAIN = DescribedPredicate.describe(
            "services, repositories and the shared kernel",
            type -> type.isAnnotatedWith(Service.class)
                    || type.isAnnotatedWith(Repository.class)
                    || type.getSimpleName().endsWith("Service")
                    || type.getSimpleName().endsWith("Repository")
                    || type.getPackageName().equals("dev.mercato.shared"));

    @Test
    void theDomainKnowsNothingOfHttp() {
        noClasses()
                .that(DOMAIN)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework.web..",
                        "org.springframework.http..",
                        "jakarta.servlet..",
                        "org.apache.catalina..")
                .because("status codes, requests and responses are the controllers' and filters' business")
                .check(MERCATO);
    }

    @Test
    void servicesTakeDomainTypesNotJsonTrees() {
        // Repositories may write JSON columns; what a service is given has been mapped from the wire already.
        noClasses()
                .that()
                .areAnnotatedWith(Service.class)
                .or()
                .haveSimpleNameEndingWith("Service")
                .should()
                .dependOnClassesThat()
                .areAssignableTo(JsonNode.class)
                .because("wire formats are mapped to domain records in the controllers")
                .check(MERCATO);
    }

    @Test
    void repositoriesAreUsedOnlyInTheirOwnModule() {
        classes()
                .that(ownRepositories())
                .should(onlyBeAccessedFromTheirOwnModule())
                .because("a module's tables are its own; others go through its service")
                .check(MERCATO);
    }

    @Test
    void controllersGoThroughServices() {
        noClasses()
                .that()
                .haveSimpleNameEndingWith("Controller")
                .should()
                .dependOnClassesThat(ownRepositories())
                .check(MERCATO);
    }

    @Test
    void apiControllersAreNamedForTheirVersion() {
        // UnknownQueryParameterInterceptor and the OpenAPI documents recognise the API's operations by this name.
        classes()
                .that()
                .areAnnotatedWith(RestController.class)
                .and()
                .resideOutsideOfPackages("dev.mercato.web..", "dev.mercato.openapi..", "dev.mercato.auth.oauth..")
                // Stripe's events come to an endpoint of no API version, signed instead of authenticated.
                .and()
                .doNotHaveSimpleName("StripeWebhookController")
                .should()
                .haveSimpleNameEndingWith("Controller")
                .andShould()
                .haveNameMatching(".*V\\d+Controller")
                .check(MERCATO);
    }

    @Test
    void modulesFormNoCycles() {
        slices().matching("dev.mercato.(*)..").should().beFreeOfCycles().check(MERCATO);
    }

    private static DescribedPredicate<JavaClass> ownRepositories() {
        return DescribedPredicate.describe(
                "Mercato's repositories",
                type -> type.getPackageName().startsWith("dev.mercato.")
                        && type.getSimpleName().endsWith("Repository"));
    }

    private static ArchCondition<JavaClass> onlyBeAccessedFromTheirOwnModule() {
        return new ArchCondition<>("only be accessed from their own module") {
            @Override
            public void check(JavaClass repository, ConditionEvents events) {
                String module = moduleOf(repository);
                repository.getDirectDependenciesToSelf().stream()
                        .filter(dependency ->
                                !moduleOf(dependency.getOriginClass()).equals(module))
                        .forEach(dependency ->
                                events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription())));
            }
        };
    }

    private static String moduleOf(JavaClass type) {
        String[] parts = type.getPackageName().split("\\.");
        return parts.length > 2 ? parts[2] : "";
    }
}
