package dev.monoscope.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.v1alpha1.MonitorClass;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chart's default MonitorClass says what the operator's own settings say, so existing installs run the same. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MonitorClassChartTest {

    private static List<MonitorClass> classes(List<HasMetadata> objects) {
        return Chart.ofKind(objects, "MonitorClass").stream()
                .map(MonitorClassChartTest::typed)
                .toList();
    }

    private static MonitorClass typed(GenericKubernetesResource resource) {
        return Serialization.unmarshal(Serialization.asJson(resource), MonitorClass.class);
    }

    @Test
    void theDefaultClassIsFilledFromWorkerAndWorkerPolicy() {
        MonitorClass c = classes(Chart.render()).get(0);
        assertThat(c.getMetadata().getName()).isEqualTo("default");
        assertThat(c.isDefault()).isTrue();
        assertThat(c.getSpec().namespaceSelector).isNull();
        assertThat(c.getSpec().worker.image).isEqualTo("monoscope/worker:0.1.0");
        assertThat(c.getSpec().worker.gpuResourceName).isEqualTo("nvidia.com/gpu");
        assertThat(c.getSpec().worker.gpuRuntimeClassName).isEqualTo("nvidia");
        assertThat(c.getSpec().worker.runtimeClassName).isNull();
        assertThat(c.getSpec().allowed.hostNetwork).isFalse();
        assertThat(c.getSpec().allowed.tolerations).isFalse();
        assertThat(c.getSpec().allowed.placement).isTrue();
        assertThat(c.getSpec().allowed.images).isEmpty();
        assertThat(c.getSpec().allowed.maxCpu).isEqualTo("4");
        assertThat(c.getSpec().allowed.maxMemory).isEqualTo("4Gi");
    }

    @Test
    void valuesReachTheClassAndItCanBeLeftOut() {
        List<HasMetadata> objects = Chart.render(
                List.of(),
                Map.of(
                        "workerPolicy.allowHostNetwork", true,
                        "workerPolicy.allowedImages[0]", "registry.example/",
                        "worker.nodeSelector.pool", "broadcast",
                        "monitorClass.name", "broadcast",
                        "monitorClass.default", false,
                        "monitorClass.namespaceSelector.matchLabels.team", "playout"));
        MonitorClass c = classes(objects).get(0);
        assertThat(c.getMetadata().getName()).isEqualTo("broadcast");
        assertThat(c.isDefault()).isFalse();
        assertThat(c.getSpec().namespaceSelector.getMatchLabels()).containsExactly(Map.entry("team", "playout"));
        assertThat(c.getSpec().worker.nodeSelector).containsExactly(Map.entry("pool", "broadcast"));
        assertThat(c.getSpec().allowed.hostNetwork).isTrue();
        assertThat(c.getSpec().allowed.images).containsExactly("registry.example/");

        assertThat(classes(Chart.render(List.of(), Map.of("monitorClass.create", false))))
                .isEmpty();
    }
}
