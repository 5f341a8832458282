package org.pagerless;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pagerless.task.model.Task;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The shape of the code (DESIGN §5): features depend on each other in one direction only (interop, board → intake →
 * task ← escalation, delivery, conversation; rota and identity below them; platform below all), and each rich
 * feature's {@code model/} is plain Java: no framework, messaging, database or JSON types, nothing outside java and the
 * other models, and no reading of the clock. Time is always passed in, so every decision can be replayed and tested
 * at a fixed instant.
 */
class ArchitectureTest {

    private static final String MODEL = "org.pagerless..model..";

    private static JavaClasses main;

    /** Imports the main classes only, from where they were compiled (not by scanning every jar on the classpath). */
    @BeforeAll
    static void importMainClasses() throws URISyntaxException {
        Path mainClasses = Path.of(Task.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        main = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPath(mainClasses)
                .that(resideInAPackage("org.pagerless.."));
    }

    @Test
    void thereIsAModelToCheck() {
        classes().that().resideInAPackage(MODEL).should().resideInAnyPackage("org.pagerless.task.model", "org.pagerless.delivery.model", "org.pagerless.escalation.model",
                "org.pagerless.rota.model", "org.pagerless.conversation.model").check(main);
        assertThat(main.that(resideInAPackage(MODEL))).extracting(JavaClass::getSimpleName)
                .contains("Task", "RotaResolver", "Shift", "Hospital", "EscalationPolicy", "StepResolver");
    }

    @Test
    void featuresHaveNoCycles() {
        slices().matching("org.pagerless.(*)..").should().beFreeOfCycles()
                .because("each feature depends on those below it only (DESIGN §5)")
                .check(main);
    }

    /**
     * DESIGN §5's direction, layer by layer (docs/architecture.md draws it): what each feature may not use. A cycle
     * test alone would let an arrow point the wrong way as long as nothing pointed back.
     */
    @Test
    void featuresDependInDesignsDirection() {
        Map<String, List<String>> mayNotUse = new LinkedHashMap<>();
        List<String> features = List.of("identity", "rota", "task", "intake", "escalation", "delivery", "broadcast",
                "conversation", "board", "interop");
        mayNotUse.put("platform", features);
        mayNotUse.put("identity", features.subList(1, features.size()));
        mayNotUse.put("rota", features.subList(2, features.size()));
        mayNotUse.put("task", features.subList(3, features.size()));
        mayNotUse.put("intake", features.subList(4, features.size()));
        mayNotUse.put("escalation", List.of("intake", "delivery", "broadcast", "conversation", "board", "interop"));
        mayNotUse.put("delivery", List.of("intake", "escalation", "broadcast", "conversation", "board", "interop"));
        mayNotUse.put("broadcast", List.of("escalation", "delivery", "conversation", "board", "interop"));
        mayNotUse.put("conversation", List.of("broadcast", "board", "interop"));
        mayNotUse.put("board", List.of("broadcast", "conversation", "interop"));
        mayNotUse.put("interop", List.of("broadcast", "board"));
        mayNotUse.forEach((feature, above) -> noClasses().that().resideInAPackage("org.pagerless." + feature + "..")
                .should().dependOnClassesThat().resideInAnyPackage(above.stream().map(p -> "org.pagerless." + p + "..")
                        .toArray(String[]::new))
                .because("interop, board → intake → task ← escalation, delivery, conversation; rota and identity "
                        + "below them; platform below all (DESIGN §5)")
                .check(main));
    }

    @Test
    void modelsHaveNoCycles() {
        slices().matching("org.pagerless.(*).model..").should().beFreeOfCycles()
                .because("escalation's model builds on the task's, never the other way round")
                .check(main);
    }

    @Test
    void theModelDependsOnlyOnJavaAndOtherModels() {
        classes().that().resideInAPackage(MODEL)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", MODEL)
                .because("model/ is plain Java: now and the rota are passed in, I/O stays outside (STYLE.md)")
                .check(main);
    }

    @Test
    void theModelDoesNotDependOnFrameworksMessagingDatabasesOrJson() {
        noClasses().that().resideInAPackage(MODEL)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.quarkus..", "jakarta..", "javax..", "io.smallrye..", "io.vertx..", "io.micrometer..",
                        "org.apache.kafka..", "java.sql..", "com.fasterxml..", "org.jboss..",
                        "org.eclipse.microprofile..")
                .because("the task and rota models are pure functions of their inputs")
                .check(main);
    }

    @Test
    void theModelNeverReadsTheClock() {
        noClasses().that().resideInAPackage(MODEL)
                .should().callMethodWhere(target(name("now")).and(target(owner(resideInAPackage("java.time..")))))
                .orShould().callMethodWhere(target(name("system")).and(target(owner(resideInAPackage("java.time..")))))
                .because("time is passed in, so decisions are reproducible")
                .check(main);
    }

    @Test
    void theModelDoesNotHoldAClock() {
        noClasses().that().resideInAPackage(MODEL)
                .should().dependOnClassesThat().areAssignableTo(Clock.class)
                .orShould().dependOnClassesThat().areAssignableTo(InstantSource.class)
                .because("time is passed in as an Instant, not fetched from a clock")
                .check(main);
    }
}
