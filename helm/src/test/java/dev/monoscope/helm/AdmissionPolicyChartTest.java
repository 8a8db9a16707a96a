package dev.monoscope.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chart's ValidatingAdmissionPolicy: on every create and update of a StreamMonitor, the API server's authorizer
 * asks whether its author may get each Secret it names, in its own namespace. (The sandbox's end-to-end test runs it
 * on a real API server.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdmissionPolicyChartTest {

    @Test
    void thePolicyChecksEverySecretReferenceWithTheAuthorizerAndIsBound() {
        List<HasMetadata> objects = Chart.render();
        ValidatingAdmissionPolicy policy =
                Chart.ofType(objects, ValidatingAdmissionPolicy.class).get(0);
        assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");
        assertThat(policy.getSpec().getMatchConstraints().getResourceRules())
                .singleElement()
                .satisfies(rule -> {
                    assertThat(rule.getApiGroups()).containsExactly("monoscope.dev");
                    assertThat(rule.getResources()).containsExactly("streammonitors");
                    assertThat(rule.getOperations()).containsExactlyInAnyOrder("CREATE", "UPDATE");
                });
        assertThat(policy.getSpec().getVariables())
                .extracting(v -> v.getExpression())
                .anySatisfy(e -> assertThat(e).contains("object.spec.source.credentialsSecretRef.name"))
                .anySatisfy(e -> assertThat(e).contains("object.spec.alerts.webhook.urlSecretRef.name"));
        assertThat(policy.getSpec().getValidations()).hasSize(2).allSatisfy(v -> {
            assertThat(v.getExpression())
                    .contains("authorizer.group('').resource('secrets').namespace(request.namespace)")
                    .contains(".check('get').allowed()");
            assertThat(v.getReason()).isEqualTo("Forbidden");
        });
        assertThat(policy.getSpec().getValidations())
                .extracting(Validation::getMessageExpression)
                .anySatisfy(m -> assertThat(m).contains("spec.source.credentialsSecretRef: you may not get Secret"));
        ValidatingAdmissionPolicyBinding binding =
                Chart.ofType(objects, ValidatingAdmissionPolicyBinding.class).get(0);
        assertThat(binding.getSpec().getPolicyName())
                .isEqualTo(policy.getMetadata().getName());
        assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
    }

    @Test
    void itCanBeLeftOut() {
        List<HasMetadata> objects = Chart.render(List.of(), Map.of("admissionPolicy.enabled", false));
        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .doesNotContain("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    }
}
