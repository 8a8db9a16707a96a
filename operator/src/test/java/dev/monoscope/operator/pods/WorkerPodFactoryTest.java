package dev.monoscope.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.monoscope.api.v1alpha1.GpuSpec;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.WorkerPodSpec;
import dev.monoscope.api.worker.WorkerConfig;
import dev.monoscope.operator.OperatorConfig;
import dev.monoscope.operator.TestCluster;
import dev.monoscope.operator.TestConfig;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Placement defaults the Helm chart hands the operator as JSON (MONOSCOPE_WORKER_NODE_SELECTOR, _TOLERATIONS,
 * _AFFINITY, the values of chart/values gpu.yaml): they reach every worker pod, and a StreamMonitor's
 * spec.worker replaces them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WorkerPodFactoryTest {

    private static final String NODE_SELECTOR = "{\"nvidia.com/gpu.present\":\"true\"}";
    private static final String TOLERATIONS =
            "[{\"effect\":\"NoSchedule\",\"key\":\"nvidia.com/gpu\",\"operator\":\"Exists\"}]";
    private static final String AFFINITY = "{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
            + "{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"nvidia.com/gpu.product\",\"operator\":\"In\","
            + "\"values\":[\"NVIDIA-H100-80GB-HBM3\",\"NVIDIA-L4\"]}]}]}}}";

    @Test
    void theOperatorsPlacementDefaultsReachEveryWorkerPod() {
        OperatorConfig config = config(Map.of(
                "monoscope.worker.node-selector",
                NODE_SELECTOR,
                "monoscope.worker.tolerations",
                TOLERATIONS,
                "monoscope.worker.affinity",
                AFFINITY));
        StreamMonitor sm = monitor();
        sm.getSpec().replicas = 2;

        List<DesiredPod> pods = desired(config, sm);
        assertThat(pods).hasSize(2).allSatisfy(pod -> {
            PodSpec spec = pod.pod().getSpec();
            assertThat(spec.getNodeSelector()).containsExactly(Map.entry("nvidia.com/gpu.present", "true"));
            assertThat(spec.getTolerations()).singleElement().satisfies(t -> {
                assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
                assertThat(t.getOperator()).isEqualTo("Exists");
                assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
            assertThat(spec.getAffinity()
                            .getNodeAffinity()
                            .getRequiredDuringSchedulingIgnoredDuringExecution()
                            .getNodeSelectorTerms()
                            .get(0)
                            .getMatchExpressions()
                            .get(0)
                            .getValues())
                    .containsExactly("NVIDIA-H100-80GB-HBM3", "NVIDIA-L4");
        });

        // A GPU pod does not get the GPU toleration twice when the default has it already.
        sm.getSpec().gpu = new GpuSpec();
        sm.getSpec().gpu.count = 1;
        assertThat(desired(config, sm).get(0).pod().getSpec().getTolerations()).hasSize(1);
    }

    @Test
    void aStreamMonitorsSpecWorkerReplacesTheDefaults() {
        OperatorConfig config = config(Map.of(
                "monoscope.worker.node-selector",
                NODE_SELECTOR,
                "monoscope.worker.tolerations",
                TOLERATIONS,
                "monoscope.worker.affinity",
                AFFINITY));
        StreamMonitor sm = monitor();
        String defaultsHash = desired(config, sm).get(0).hash();
        sm.getSpec().worker = new WorkerPodSpec();
        sm.getSpec().worker.nodeSelector = Map.of("pool", "broadcast");
        sm.getSpec().worker.tolerations = List.of(new TolerationBuilder()
                .withKey("dedicated")
                .withOperator("Equal")
                .withValue("broadcast")
                .withEffect("NoExecute")
                .build());
        sm.getSpec().worker.affinity = new AffinityBuilder()
                .withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(10)
                .withNewPodAffinityTerm()
                .withTopologyKey("kubernetes.io/hostname")
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .build();

        DesiredPod pod = desired(config, sm).get(0);
        PodSpec spec = pod.pod().getSpec();
        assertThat(spec.getNodeSelector()).containsExactly(Map.entry("pool", "broadcast"));
        assertThat(spec.getTolerations()).extracting(Toleration::getKey).containsExactly("dedicated");
        assertThat(spec.getAffinity().getNodeAffinity()).isNull();
        assertThat(spec.getAffinity().getPodAntiAffinity()).isNotNull();
        assertThat(pod.hash()).as("other placement, other pod").isNotEqualTo(defaultsHash);

        // Empty lists and maps in spec.worker clear the defaults.
        sm.getSpec().worker = new WorkerPodSpec();
        sm.getSpec().worker.nodeSelector = Map.of();
        sm.getSpec().worker.tolerations = List.of();
        spec = desired(config, sm).get(0).pod().getSpec();
        assertThat(spec.getNodeSelector()).isNullOrEmpty();
        assertThat(spec.getTolerations()).isNullOrEmpty();
        assertThat(spec.getAffinity()).isNotNull(); // affinity unset in spec.worker: the default still applies
    }

    @Test
    void withoutDefaultsPodsHaveNoPlacementAndABadValueIsRefusedAtStartUp() {
        PodSpec spec = desired(config(Map.of()), monitor()).get(0).pod().getSpec();
        assertThat(spec.getNodeSelector()).isNullOrEmpty();
        assertThat(spec.getTolerations()).isNullOrEmpty();
        assertThat(spec.getAffinity()).isNull();

        assertThatThrownBy(() -> WorkerClass.fromConfig(config(Map.of("monoscope.worker.tolerations", "{\"key\":1"))))
                .hasMessageContaining("monoscope.worker.tolerations");
        assertThatThrownBy(() -> WorkerClass.fromConfig(config(Map.of("monoscope.worker.node-selector", "[1,2]"))))
                .hasMessageContaining("monoscope.worker.node-selector");
    }

    @Test
    void theWorkerIsToldItsPodsUidThroughTheDownwardApi() {
        List<EnvVar> env = workerEnv(Map.of());
        assertThat(env)
                .filteredOn(e -> WorkerConfig.ENV_POD_UID.equals(e.getName()))
                .singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                        .isEqualTo("metadata.uid"));
    }

    @Test
    void theWorkerKeepsItsEvidenceOnTheScratchVolumeUnderHalfOfIt() throws Exception {
        List<EnvVar> env = workerEnv(Map.of("monoscope.worker.scratch-size", "2Gi"));
        String json = env.stream()
                .filter(e -> WorkerConfig.ENV_CONFIG.equals(e.getName()))
                .findFirst()
                .orElseThrow()
                .getValue();
        WorkerConfig config = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, WorkerConfig.class);
        assertThat(config.evidence.dir).isEqualTo(WorkerPodFactory.SCRATCH + "/evidence");
        assertThat(config.evidence.maxBytes).isEqualTo(1L << 30);
    }

    @Test
    void aWorkerThatListensForAnSrtSenderDeclaresItsUdpPort() {
        for (String url : new String[] {"srt://:9000?mode=listener", "srt://0.0.0.0:9000?latency=200&mode=listener"}) {
            assertThat(ports(url))
                    .as(url)
                    .extracting(p -> p.getName() + " " + p.getContainerPort() + "/" + p.getProtocol())
                    .containsExactly("http 8080/TCP", "srt 9000/UDP");
        }
        assertThat(ports("srt://sender.example:9000")).as("a caller").hasSize(1);
    }

    /** The container ports of the first worker pod for a StreamMonitor of this source URL. */
    private static List<ContainerPort> ports(String url) {
        StreamMonitor sm = monitor();
        sm.getSpec().source.url = url;
        return desired(config(Map.of()), sm)
                .get(0)
                .pod()
                .getSpec()
                .getContainers()
                .get(0)
                .getPorts();
    }

    /** The environment of the first worker pod the factory makes with these operator settings. */
    private static List<EnvVar> workerEnv(Map<String, String> properties) {
        return desired(config(properties), monitor())
                .get(0)
                .pod()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv();
    }

    /** The pods of the operator's own settings (no MonitorClass). */
    static List<DesiredPod> desired(OperatorConfig config, StreamMonitor sm) {
        return new WorkerPodFactory(config).desired(sm, WorkerClass.fromConfig(config), shard -> false);
    }

    private static OperatorConfig config(Map<String, String> properties) {
        return TestConfig.of(properties);
    }

    private static StreamMonitor monitor() {
        StreamMonitor sm = TestCluster.monitor("news", "channel-1");
        sm.getMetadata().setUid("u-1");
        return sm;
    }
}
