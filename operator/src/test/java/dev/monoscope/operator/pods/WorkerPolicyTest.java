package dev.monoscope.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.WorkerPodSpec;
import dev.monoscope.operator.TestCluster;
import dev.monoscope.operator.TestConfig;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A StreamMonitor is not a pod in disguise: spec.worker gets only what the cluster's admin allowed. */
class WorkerPolicyTest {

    private static StreamMonitor monitor(WorkerPodSpec worker) {
        StreamMonitor sm = TestCluster.monitor("news", "channel-1");
        sm.getSpec().worker = worker;
        return sm;
    }

    private static WorkerPodSpec everything() {
        WorkerPodSpec w = new WorkerPodSpec();
        w.image = "attacker.example/miner:latest";
        w.hostNetwork = true;
        w.runtimeClassName = "runc-privileged";
        w.priorityClassName = "system-node-critical";
        w.tolerations = List.of(new TolerationBuilder()
                .withKey("node-role.kubernetes.io/control-plane")
                .withOperator("Exists")
                .build());
        w.podAnnotations = Map.of(
                "monoscope.dev/gpu", "true", "k8s.v1.cni.cncf.io/networks", "multicast", "x.monoscope.dev/y", "z");
        w.resources = new ResourceRequirementsBuilder()
                .withLimits(Map.of("cpu", new Quantity("64"), "memory", new Quantity("3Gi")))
                .withRequests(Map.of("nvidia.com/gpu", new Quantity("8")))
                .build();
        return w;
    }

    private static WorkerClass operatorClass(Map<String, String> properties) {
        return WorkerClass.fromConfig(TestConfig.of(properties));
    }

    @Test
    void byDefaultEveryChoiceBeyondTheAdminsIsRefusedWithItsFieldNamed() {
        List<String> problems = WorkerPolicy.problems(monitor(everything()), operatorClass(Map.of()));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).startsWith("spec.worker.image is not allowed"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.worker.hostNetwork is not allowed"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.worker.runtimeClassName is not allowed"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.worker.priorityClassName is not allowed"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.worker.tolerations is not allowed"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.worker.podAnnotations.monoscope.dev/gpu is reserved"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.worker.podAnnotations.x.monoscope.dev/y is reserved"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.worker.resources.limits.cpu must be at most 4"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.worker.resources.requests.nvidia.com/gpu is not"))
                .noneSatisfy(p -> assertThat(p).contains("k8s.v1.cni.cncf.io/networks"))
                .noneSatisfy(p -> assertThat(p).contains("limits.memory"))
                .hasSize(9);
    }

    @Test
    void whatTheAdminAllowsIsAccepted() {
        WorkerClass policy = operatorClass(Map.of(
                "monoscope.policy.allowed-images", "registry.example/monoscope/",
                "monoscope.policy.allow-host-network", "true",
                "monoscope.policy.allowed-runtime-classes", "gvisor",
                "monoscope.policy.allowed-priority-classes", "broadcast",
                "monoscope.policy.allow-tolerations", "true",
                "monoscope.policy.max-cpu", "8"));
        WorkerPodSpec w = new WorkerPodSpec();
        w.image = "registry.example/monoscope/worker:0.2.0";
        w.hostNetwork = true;
        w.runtimeClassName = "gvisor";
        w.priorityClassName = "broadcast";
        w.tolerations = List.of(new TolerationBuilder()
                .withKey("dedicated")
                .withOperator("Exists")
                .build());
        w.nodeSelector = Map.of("pool", "broadcast");
        w.affinity = new AffinityBuilder()
                .withNewPodAntiAffinity()
                .endPodAntiAffinity()
                .build();
        w.resources = new ResourceRequirementsBuilder()
                .withLimits(Map.of("cpu", new Quantity("8"), "memory", new Quantity("4Gi")))
                .build();
        assertThat(WorkerPolicy.problems(monitor(w), policy)).isEmpty();

        w.runtimeClassName = "nvidia"; // the operator's own GPU runtime class is always allowed
        assertThat(WorkerPolicy.problems(monitor(w), policy)).isEmpty();
        w.image = "registry.example/monoscope-fork/worker:1";
        assertThat(WorkerPolicy.problems(monitor(w), policy))
                .singleElement()
                .asString()
                .startsWith("spec.worker.image");
    }

    @Test
    void reservedAnnotationsNeverReachThePod() {
        WorkerPodSpec w = new WorkerPodSpec();
        w.podAnnotations = Map.of("monoscope.dev/cpu-fallback", "true", "k8s.v1.cni.cncf.io/networks", "multicast");
        Map<String, String> annotations = WorkerPodFactoryTest.desired(TestConfig.of(Map.of()), monitor(w))
                .get(0)
                .pod()
                .getMetadata()
                .getAnnotations();
        assertThat(annotations)
                .containsEntry("k8s.v1.cni.cncf.io/networks", "multicast")
                .doesNotContainKey("monoscope.dev/cpu-fallback");
    }
}
