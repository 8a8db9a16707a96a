package dev.monoscope.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.v1alpha1.MonitorClass;
import dev.monoscope.api.v1alpha1.MonitorClassAllowed;
import dev.monoscope.api.v1alpha1.MonitorClassSpec;
import dev.monoscope.api.v1alpha1.MonitorClassWorker;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.WorkerPodSpec;
import dev.monoscope.operator.TestCluster;
import dev.monoscope.operator.TestConfig;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which MonitorClass a StreamMonitor gets, what its pods get from it, and what the class refuses. */
class MonitorClassesTest {

    private final MonitorClasses classes = new MonitorClasses(TestConfig.of(Map.of()));

    private void cluster(List<MonitorClass> monitorClasses, Namespace... namespaces) {
        classes.setLookup(new MonitorClasses.Lookup() {
            @Override
            public Optional<MonitorClass> monitorClass(String name) {
                return monitorClasses.stream()
                        .filter(c -> c.getMetadata().getName().equals(name))
                        .findFirst();
            }

            @Override
            public List<MonitorClass> monitorClasses() {
                return monitorClasses;
            }

            @Override
            public Optional<Namespace> namespace(String name) {
                return List.of(namespaces).stream()
                        .filter(n -> n.getMetadata().getName().equals(name))
                        .findFirst();
            }
        });
    }

    static MonitorClass monitorClass(String name, boolean isDefault) {
        MonitorClass c = new MonitorClass();
        c.getMetadata().setName(name);
        c.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
        if (isDefault) {
            c.getMetadata().setAnnotations(Map.of(MonitorClass.DEFAULT_CLASS_ANNOTATION, "true"));
        }
        c.setSpec(new MonitorClassSpec());
        c.getSpec().worker = new MonitorClassWorker();
        c.getSpec().allowed = new MonitorClassAllowed();
        return c;
    }

    private static StreamMonitor monitor(String namespace, String className) {
        StreamMonitor sm = TestCluster.monitor(namespace, "channel-1");
        sm.getMetadata().setUid("u-1");
        sm.getSpec().monitorClassName = className;
        return sm;
    }

    @Test
    void withNoClassAtAllTheOperatorsSettingsApplyAsBefore() {
        cluster(List.of());
        MonitorClasses.Resolution r = classes.resolve(monitor("news", null));
        assertThat(r.refused()).isFalse();
        assertThat(r.workerClass()).isSameAs(classes.operatorClass());
    }

    @Test
    void aNamedClassThatDoesNotExistRunsNothingAndSaysSo() {
        cluster(List.of(monitorClass("default", true)));
        MonitorClasses.Resolution r = classes.resolve(monitor("news", "gold"));
        assertThat(r.reason()).isEqualTo(MonitorClasses.REASON_NOT_FOUND);
        assertThat(r.problem()).contains("spec.monitorClassName", "gold", "does not exist");
    }

    @Test
    void theDefaultClassAppliesWhenNoneIsNamedTheNewestOfSeveral() {
        MonitorClass older = monitorClass("older", true);
        MonitorClass newer = monitorClass("newer", true);
        newer.getMetadata().setCreationTimestamp("2026-06-01T00:00:00Z");
        cluster(List.of(older, newer, monitorClass("other", false)));
        assertThat(classes.resolve(monitor("news", null)).workerClass().name()).isEqualTo("newer");
        assertThat(classes.resolve(monitor("news", "other")).workerClass().name())
                .isEqualTo("other");
    }

    @Test
    void aClassAdmitsOnlyTheNamespacesItsSelectorSelects() {
        MonitorClass broadcast = monitorClass("broadcast", false);
        broadcast.getSpec().namespaceSelector = new LabelSelectorBuilder()
                .addNewMatchExpression()
                .withKey("team")
                .withOperator("In")
                .withValues("playout", "news")
                .endMatchExpression()
                .build();
        MonitorClass byName = monitorClass("by-name", false);
        byName.getSpec().namespaceSelector = new LabelSelectorBuilder()
                .withMatchLabels(Map.of(MonitorClasses.NAMESPACE_NAME_LABEL, "studio"))
                .build();
        Namespace news = new NamespaceBuilder()
                .withNewMetadata()
                .withName("news")
                .withLabels(Map.of("team", "news"))
                .endMetadata()
                .build();
        cluster(List.of(broadcast, byName), news);

        assertThat(classes.resolve(monitor("news", "broadcast")).refused()).isFalse();
        MonitorClasses.Resolution refused = classes.resolve(monitor("sports", "broadcast"));
        assertThat(refused.reason()).isEqualTo(MonitorClasses.REASON_NOT_ALLOWED);
        assertThat(refused.problem()).contains("MonitorClass broadcast", "namespace sports", "namespaceSelector");
        // a namespace not in the cache still has its name label, as the API server gives every namespace
        assertThat(classes.resolve(monitor("studio", "by-name")).refused()).isFalse();
        assertThat(classes.resolve(monitor("news", "by-name")).refused()).isTrue();
    }

    @Test
    void theClassChoosesWhatPodsGet() {
        MonitorClass gold = monitorClass("gold", false);
        gold.getSpec().worker.image = "registry.example/monoscope/worker:9";
        gold.getSpec().worker.runtimeClassName = "gvisor";
        gold.getSpec().worker.gpuRuntimeClassName = "nvidia-cdi";
        gold.getSpec().worker.gpuResourceName = "nvidia.com/mig-1g.10gb";
        gold.getSpec().worker.priorityClassName = "broadcast";
        gold.getSpec().worker.nodeSelector = Map.of("pool", "broadcast");
        gold.getSpec().worker.tolerations = List.of(new TolerationBuilder()
                .withKey("dedicated")
                .withOperator("Exists")
                .build());
        cluster(List.of(gold));
        StreamMonitor sm = monitor("news", "gold");
        WorkerClass workerClass = classes.resolve(sm).workerClass();
        PodSpec cpu = new WorkerPodFactory(TestConfig.of(Map.of()))
                .desired(sm, workerClass, shard -> false)
                .get(0)
                .pod()
                .getSpec();
        assertThat(cpu.getContainers().get(0).getImage()).isEqualTo("registry.example/monoscope/worker:9");
        assertThat(cpu.getRuntimeClassName()).isEqualTo("gvisor");
        assertThat(cpu.getPriorityClassName()).isEqualTo("broadcast");
        assertThat(cpu.getNodeSelector()).containsExactly(Map.entry("pool", "broadcast"));
        assertThat(cpu.getTolerations())
                .singleElement()
                .satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));

        sm.getSpec().decoder = "gpu";
        PodSpec gpu = new WorkerPodFactory(TestConfig.of(Map.of()))
                .desired(sm, workerClass, shard -> false)
                .get(0)
                .pod()
                .getSpec();
        assertThat(gpu.getRuntimeClassName()).isEqualTo("nvidia-cdi");
        assertThat(gpu.getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/mig-1g.10gb", new Quantity("1"))
                .doesNotContainKey("nvidia.com/gpu");
    }

    @Test
    void aStreamMonitorAskingBeyondItsClassIsRefusedWithTheFieldNamed() {
        MonitorClass multicast = monitorClass("multicast", false);
        multicast.getSpec().allowed.hostNetwork = true;
        multicast.getSpec().allowed.maxMemory = "2Gi";
        multicast.getSpec().allowed.images = List.of("registry.example/");
        cluster(List.of(multicast, monitorClass("plain", false)));

        StreamMonitor sm = monitor("news", "multicast");
        sm.getSpec().worker = new WorkerPodSpec();
        sm.getSpec().worker.hostNetwork = true;
        sm.getSpec().worker.image = "registry.example/worker:1";
        assertThat(WorkerPolicy.problems(sm, classes.resolve(sm).workerClass())).isEmpty();

        sm.getSpec().worker.resources = new ResourceRequirementsBuilder()
                .withLimits(Map.of("memory", new Quantity("3Gi")))
                .build();
        sm.getSpec().gpu = new dev.monoscope.api.v1alpha1.GpuSpec();
        sm.getSpec().gpu.resourceName = "amd.com/gpu";
        assertThat(WorkerPolicy.problems(sm, classes.resolve(sm).workerClass()))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("spec.worker.resources.limits.memory must be at most 2Gi")
                        .contains("MonitorClass multicast"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.gpu.resourceName must be nvidia.com/gpu"))
                .hasSize(2);

        sm.getSpec().monitorClassName = "plain";
        sm.getSpec().gpu = null;
        sm.getSpec().worker.resources = null;
        assertThat(WorkerPolicy.problems(sm, classes.resolve(sm).workerClass()))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("spec.worker.hostNetwork is not allowed")
                        .contains("MonitorClass plain does not allow it"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.worker.image is not allowed"))
                .hasSize(2);
    }

    @Test
    void aCeilingThatIsNotAQuantityAllowsNothing() {
        MonitorClass broken = monitorClass("broken", false);
        broken.getSpec().allowed.maxCpu = "lots";
        cluster(List.of(broken));
        StreamMonitor sm = monitor("news", "broken");
        sm.getSpec().worker = new WorkerPodSpec();
        sm.getSpec().worker.resources = new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("100m")))
                .build();
        assertThat(WorkerPolicy.problems(sm, classes.resolve(sm).workerClass()))
                .singleElement()
                .asString()
                .contains("spec.worker.resources.requests.cpu", "not a positive quantity");
    }
}
