package io.streamglm.connectors;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The connectors' packages import one way, so each can be read without the ones above it. */
class ArchitectureTest {
    private static final JavaClasses CONNECTORS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.streamglm.connectors");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.streamglm.connectors.(*)..").should().beFreeOfCycles().check(CONNECTORS);
    }
}
