package io.streamglm.engine;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The engine is plain Java: it must run inside a Flink operator, a SQL function or a CLI without either. */
class ArchitectureTest {
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.streamglm.engine");

    @Test
    void engineImportsNeitherFlinkNorKafka() {
        noClasses().that().resideInAPackage("io.streamglm.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
                .check(ENGINE);
    }

    @Test
    void engineDoesNotDependOnTheOuterModules() {
        noClasses().that().resideInAPackage("io.streamglm.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.streamglm.connectors..", "io.streamglm.job..")
                .check(ENGINE);
    }

    @Test
    void familiesAndLinksDoNotReachIntoTheFitter() {
        noClasses().that().resideInAnyPackage("io.streamglm.engine.family..", "io.streamglm.engine.link..")
                .should().dependOnClassesThat().resideInAnyPackage("io.streamglm.engine.fit..",
                        "io.streamglm.engine.accumulate..", "io.streamglm.engine.design..")
                .check(ENGINE);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.streamglm.engine.(*)..").should().beFreeOfCycles().check(ENGINE);
    }
}
