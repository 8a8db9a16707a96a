package dev.monoscope.worker.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The worker's house rules on its main code: its layer order, and no code of the operator or the sandbox. */
class WorkerArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.monoscope.worker");

    @Test
    void packagesImportOnlyTheOnesBelowThem() {
        WorkerLayers.rule("dev.monoscope.worker").check(MAIN);
    }

    @Test
    void noOperatorOrSandboxCode() {
        noClasses()
                .that()
                .resideInAPackage("dev.monoscope.worker..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.monoscope.operator..", "dev.monoscope.sandbox..")
                .check(MAIN);
    }
}
