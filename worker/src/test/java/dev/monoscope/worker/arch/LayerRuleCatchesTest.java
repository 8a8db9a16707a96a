package dev.monoscope.worker.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * The layer rule does catch a package that imports one above it: evaluated on a deliberately violating pair of test
 * classes ({@code violation.decode} uses {@code violation.detect}), it fails and names the import.
 */
class LayerRuleCatchesTest {

    private static final String BASE = "dev.monoscope.worker.arch.violation";

    @Test
    void aDecoderThatUsesADetectorBreaksTheRule() {
        JavaClasses classes = new ClassFileImporter().importPackages(BASE);

        EvaluationResult result = WorkerLayers.rule(BASE).evaluate(classes);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line ->
                        assertThat(line).contains("DecodesWithADetector").contains("violation.detect.ADetector"));
    }

    @Test
    void theDetectorUsingTheDecoderIsAllowed() {
        JavaClasses detectOnly = new ClassFileImporter().importPackages(BASE + ".detect");

        assertThat(WorkerLayers.rule(BASE).evaluate(detectOnly).hasViolation()).isFalse();
    }
}
