package dev.monoscope.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The CEL rules of the generated CRD, evaluated with dev.cel against what a user would apply. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CelRulesTest {

    private static final CelRuleChecker RULES = new CelRuleChecker(GeneratedCrd.openApiSchema());

    @Test
    void everyRuleCompiles() {
        assertThat(RULES.compileAll()).hasSizeGreaterThanOrEqualTo(7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.monoscope.api.v1alpha1.SpecCases#valid")
    void validManifestsPass(String description, Map<String, Object> manifest) {
        assertThat(RULES.violations(manifest)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.monoscope.api.v1alpha1.SpecCases#invalid")
    void invalidManifestsFailWithTheirMessage(String description, Map<String, Object> manifest, String message) {
        assertThat(RULES.violations(manifest)).containsExactly(message);
    }
}
