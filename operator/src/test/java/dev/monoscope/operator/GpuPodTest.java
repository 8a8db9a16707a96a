package dev.monoscope.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.v1alpha1.GpuSpec;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.operator.pods.WorkerPods;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GpuPodTest {

    private static final String NO_GPU = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.";

    @Inject
    KubernetesClient client;

    @Test
    void aGpuStreamGetsAGpuPodFieldByField() throws Exception {
        TestCluster cluster = new TestCluster(client);
        StreamMonitor sm = TestCluster.monitor("gpu", "uhd");
        sm.getSpec().decoder = "gpu";
        cluster.create(sm);
        Pod pod = cluster.awaitPods("gpu", "uhd", 1).get(0);
        Container worker = pod.getSpec().getContainers().get(0);
        assertThat(worker.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(pod.getSpec().getTolerations()).anySatisfy(t -> {
            assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(pod.getSpec().getRuntimeClassName()).isEqualTo("nvidia");
        assertThat(PodLifecycleTest.env(worker, "NVIDIA_DRIVER_CAPABILITIES").getValue())
                .isEqualTo("compute,video,utility");
        assertThat(new ObjectMapper()
                        .readTree(
                                PodLifecycleTest.env(worker, "MONOSCOPE_CONFIG").getValue())
                        .at("/decoder")
                        .asText())
                .isEqualTo("gpu");
        // Still hardened.
        assertThat(worker.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();

        StreamMonitor other = TestCluster.monitor("gpu", "amd");
        other.getSpec().gpu = new GpuSpec();
        other.getSpec().gpu.count = 1;
        other.getSpec().gpu.resourceName = "amd.com/gpu";
        cluster.create(other);
        Pod amd = cluster.awaitPods("gpu", "amd", 1).get(0);
        assertThat(amd.getSpec().getContainers().get(0).getResources().getLimits())
                .containsEntry("amd.com/gpu", new Quantity("1"))
                .doesNotContainKey("nvidia.com/gpu");

        StreamMonitor cpu = TestCluster.monitor("gpu", "sd");
        cluster.create(cpu);
        Pod plain = cluster.awaitPods("gpu", "sd", 1).get(0);
        assertThat(plain.getSpec().getContainers().get(0).getResources().getLimits())
                .doesNotContainKey("nvidia.com/gpu");
        assertThat(plain.getSpec().getTolerations()).isNullOrEmpty();
        assertThat(plain.getSpec().getContainers().get(0).getEnv())
                .noneMatch(e -> e.getName().startsWith("NVIDIA"));
    }

    @Test
    void aGpuPodIsReplacedBreakBeforeMakeSinceThereMayBeNoSecondGpu() throws Exception {
        TestCluster cluster = new TestCluster(client);
        StreamMonitor sm = TestCluster.monitor("gpu", "swap");
        sm.getSpec().decoder = "gpu";
        cluster.create(sm);
        Pod old = cluster.awaitPods("gpu", "swap", 1).get(0);
        cluster.running(old, "127.0.4.2", true);
        cluster.awaitCondition("gpu", "swap", StreamMonitorStatus.READY, "True", "Monitoring");

        cluster.edit("gpu", "swap", spec -> spec.source.url = "srt://example.com:9000");
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            java.util.List<Pod> pods = cluster.pods("gpu", "swap");
            assertThat(pods).as("never two GPU pods for one shard").hasSizeLessThanOrEqualTo(1);
            if (pods.size() == 1
                    && !pods.get(0)
                            .getMetadata()
                            .getName()
                            .equals(old.getMetadata().getName())) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(cluster.pods("gpu", "swap")).singleElement().satisfies(p -> {
            assertThat(p.getMetadata().getName()).isNotEqualTo(old.getMetadata().getName());
            assertThat(WorkerPods.isGpu(p)).isTrue();
        });
    }

    @Test
    void anUnschedulableGpuPodSaysSoAfterTheGraceTimeAndStaysWithoutFallback() throws Exception {
        TestCluster cluster = new TestCluster(client);
        StreamMonitor sm = TestCluster.monitor("gpu", "stuck");
        sm.getSpec().decoder = "gpu";
        cluster.create(sm);
        Pod pod = cluster.awaitPods("gpu", "stuck", 1).get(0);
        cluster.unschedulable(pod, Instant.now(), NO_GPU);
        // Not at once: the scheduler gets its grace time (3 s in tests, 60 s by default).
        Thread.sleep(500);
        assertThat(cluster.condition("gpu", "stuck", StreamMonitorStatus.SCHEDULED)
                        .map(c -> c.getReason()))
                .isNotEqualTo(java.util.Optional.of("Unschedulable"));
        cluster.awaitCondition("gpu", "stuck", StreamMonitorStatus.SCHEDULED, "False", "Unschedulable");
        assertThat(cluster.condition("gpu", "stuck", StreamMonitorStatus.SCHEDULED)
                        .orElseThrow()
                        .getMessage())
                .contains(NO_GPU);
        cluster.awaitCondition("gpu", "stuck", StreamMonitorStatus.READY, "False", "Unschedulable");
        assertThat(cluster.pods("gpu", "stuck"))
                .singleElement()
                .satisfies(p -> assertThat(p.getMetadata().getUid())
                        .isEqualTo(pod.getMetadata().getUid()));
    }

    @Test
    void withFallbackAnUnschedulableGpuPodIsRecreatedWithoutTheGpu() {
        TestCluster cluster = new TestCluster(client);
        StreamMonitor sm = TestCluster.monitor("gpu", "flex");
        sm.getSpec().gpu = new GpuSpec();
        sm.getSpec().gpu.count = 1;
        sm.getSpec().gpu.fallbackToCpu = true;
        cluster.create(sm);
        Pod pod = cluster.awaitPods("gpu", "flex", 1).get(0);
        assertThat(WorkerPods.isGpu(pod)).isTrue();
        cluster.unschedulable(pod, Instant.now().minusSeconds(120), NO_GPU);

        await().atMost(TestCluster.WAIT).until(() -> {
            List<Pod> now = cluster.pods("gpu", "flex"); // once: the old pod may go between two reads
            return now.size() == 1
                    && !now.get(0)
                            .getMetadata()
                            .getUid()
                            .equals(pod.getMetadata().getUid());
        });
        Pod cpu = cluster.pods("gpu", "flex").get(0);
        assertThat(cpu.getSpec().getContainers().get(0).getResources().getLimits())
                .doesNotContainKey("nvidia.com/gpu");
        assertThat(cpu.getSpec().getTolerations()).isNullOrEmpty();
        assertThat(WorkerPods.isCpuFallback(cpu)).isTrue();
        assertThat(PodLifecycleTest.env(cpu.getSpec().getContainers().get(0), "MONOSCOPE_CONFIG")
                        .getValue())
                .contains("\"decoder\":\"cpu\"");
        cluster.running(cpu, "127.0.4.1", true);
        cluster.awaitCondition("gpu", "flex", StreamMonitorStatus.DECODER_DEGRADED, "True", "CpuFallback");
        cluster.awaitCondition("gpu", "flex", StreamMonitorStatus.READY, "True", "Monitoring");
    }
}
