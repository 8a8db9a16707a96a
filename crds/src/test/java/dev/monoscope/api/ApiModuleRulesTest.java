package dev.monoscope.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The API module is the contract the others share: it uses no code of the worker, the operator or the sandbox. */
class ApiModuleRulesTest {

    private static final ArchRule IMPORTS_NOTHING_OF_OURS = noClasses()
            .that()
            .resideInAPackage("dev.monoscope.api..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.monoscope.worker..", "dev.monoscope.operator..", "dev.monoscope.sandbox..");

    @Test
    void theApiModuleImportsNothingOfOurs() {
        IMPORTS_NOTHING_OF_OURS.check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.monoscope.api"));
    }
}
