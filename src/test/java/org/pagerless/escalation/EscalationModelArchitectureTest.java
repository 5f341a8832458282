package org.pagerless.escalation;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The escalation and task models decide purely: no framework, broker, database or JSON library inside. */
@AnalyzeClasses(packages = "org.pagerless", importOptions = ImportOption.DoNotIncludeTests.class)
class EscalationModelArchitectureTest {

    @ArchTest
    static final ArchRule modelsArePlainJava = noClasses()
            .that().resideInAnyPackage("org.pagerless.escalation.model..", "org.pagerless.task.model..")
            .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta..", "javax..",
                    "org.apache.kafka..", "java.sql..", "com.fasterxml..", "io.smallrye..", "io.micrometer..",
                    "io.vertx..", "org.jboss..", "org.eclipse.microprofile..", "org.pagerless.escalation",
                    "org.pagerless.task", "org.pagerless.platform..")
            .because("model/ is plain Java: now and the rota are passed in, I/O stays outside (STYLE.md)");

    @ArchTest
    static final ArchRule modelsDoNotReadTheClock = noClasses()
            .that().resideInAnyPackage("org.pagerless.escalation.model..", "org.pagerless.task.model..")
            .should().callMethod(java.time.Instant.class, "now")
            .because("now is a parameter of every decision");
}
