package dev.monoscope.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The operator talks to workers through the API module's contract only: no worker or sandbox code. */
class OperatorModuleRulesTest {

    private static final ArchRule NO_WORKER_OR_SANDBOX = noClasses()
            .that()
            .resideInAPackage("dev.monoscope.operator..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.monoscope.worker..", "dev.monoscope.sandbox..");

    @Test
    void theOperatorUsesNoWorkerOrSandboxCode() {
        NO_WORKER_OR_SANDBOX.check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.monoscope.operator"));
    }
}
