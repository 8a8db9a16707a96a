package dev.monoscope.sandbox;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The sandbox runs the worker and the operator as processes, from their jars: it uses none of their code. */
class SandboxModuleRulesTest {

    private static final ArchRule NO_WORKER_OR_OPERATOR = noClasses()
            .that()
            .resideInAPackage("dev.monoscope.sandbox..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.monoscope.worker..", "dev.monoscope.operator..");

    @Test
    void theSandboxUsesNoWorkerOrOperatorCode() {
        NO_WORKER_OR_OPERATOR.check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.monoscope.sandbox"));
    }
}
