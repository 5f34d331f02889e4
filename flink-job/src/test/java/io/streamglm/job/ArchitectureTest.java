package io.streamglm.job;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * flink-job's packages import one way: {@code cli} on top, the jobs and operators below it, the Flink-free refit
 * logic ({@code refit}) and {@code core} (events, windows, partials, setup errors) at the bottom, so a package can
 * be read without the ones above it.
 */
class ArchitectureTest {
    private static final JavaClasses JOB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.streamglm.job");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.streamglm.job.(*)..").should().beFreeOfCycles().check(JOB);
    }

    /**
     * The refit logic every path shares (one-operator, sharded and replay refits: fit, summary, record) is plain
     * engine code: the operators are thin adapters over it, and it can be tested and read without Flink.
     */
    @Test
    void theRefitLogicIsFreeOfFlink() {
        noClasses().that().resideInAPackage("io.streamglm.job.refit..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..").check(JOB);
    }
}
