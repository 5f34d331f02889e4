package io.streamglm.bench;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The benchmarks sit on top of the product: they use {@code engine}, {@code connectors} and {@code flink-job}, and
 * nothing there uses them, so the shipped jar and CLI hold no benchmark.
 */
class ArchitectureTest {
    private static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.streamglm");

    /** engine, connectors, job (flink-job) and bench, as the modules' top packages: no cycle among them. */
    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.streamglm.(*)..").should().beFreeOfCycles().check(ALL);
    }

    @Test
    void theProductDoesNotUseTheBenchmarks() {
        noClasses().that().resideOutsideOfPackage("io.streamglm.bench..")
                .should().dependOnClassesThat().resideInAPackage("io.streamglm.bench..").check(ALL);
    }
}
