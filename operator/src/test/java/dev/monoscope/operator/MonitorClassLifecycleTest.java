package dev.monoscope.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.monoscope.api.v1alpha1.MonitorClass;
import dev.monoscope.api.v1alpha1.MonitorClassAllowed;
import dev.monoscope.api.v1alpha1.MonitorClassSpec;
import dev.monoscope.api.v1alpha1.MonitorClassWorker;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.api.v1alpha1.WorkerPodSpec;
import dev.monoscope.operator.pods.MonitorClasses;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MonitorClasses through the running operator: a StreamMonitor naming a class that does not exist waits with
 * Ready=False and runs once the class appears, its pods get what the class says, and a choice beyond the class is
 * refused with the field named.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MonitorClassLifecycleTest {

    @Inject
    KubernetesClient client;

    private static MonitorClass monitorClass(String name, String image) {
        MonitorClass c = new MonitorClass();
        c.getMetadata().setName(name);
        c.setSpec(new MonitorClassSpec());
        c.getSpec().worker = new MonitorClassWorker();
        c.getSpec().worker.image = image;
        c.getSpec().worker.priorityClassName = "broadcast";
        c.getSpec().allowed = new MonitorClassAllowed();
        c.getSpec().allowed.hostNetwork = true;
        return c;
    }

    @Test
    void aMissingClassWaitsThenItsPodsGetWhatTheClassSays() {
        TestCluster cluster = new TestCluster(client);
        StreamMonitor sm = TestCluster.monitor("classes", "multicast");
        sm.getSpec().monitorClassName = "multicast";
        sm.getSpec().worker = new WorkerPodSpec();
        sm.getSpec().worker.hostNetwork = true;
        cluster.create(sm);
        cluster.awaitCondition(
                "classes", "multicast", StreamMonitorStatus.READY, "False", MonitorClasses.REASON_NOT_FOUND);
        assertThat(cluster.pods("classes", "multicast")).isEmpty();

        client.resource(monitorClass("multicast", "registry.example/monoscope/worker:7"))
                .create();
        Pod pod = cluster.awaitPods("classes", "multicast", 1).get(0);
        assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo("registry.example/monoscope/worker:7");
        assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("broadcast");
        assertThat(pod.getSpec().getHostNetwork()).isTrue();
    }

    @Test
    void aChoiceBeyondTheClassIsRefusedWithTheFieldNamedAndNoPodRuns() {
        TestCluster cluster = new TestCluster(client);
        client.resource(monitorClass("plain", "monoscope/worker:0.1.0")).create();
        client.resources(MonitorClass.class).withName("plain").edit(c -> {
            c.getSpec().allowed.hostNetwork = false;
            return c;
        });
        StreamMonitor sm = TestCluster.monitor("classes", "escape");
        sm.getSpec().monitorClassName = "plain";
        sm.getSpec().worker = new WorkerPodSpec();
        sm.getSpec().worker.hostNetwork = true;
        cluster.create(sm);
        cluster.awaitCondition("classes", "escape", StreamMonitorStatus.READY, "False", "InvalidSpec");
        assertThat(cluster.condition("classes", "escape", StreamMonitorStatus.READY)
                        .orElseThrow()
                        .getMessage())
                .contains("spec.worker.hostNetwork is not allowed", "MonitorClass plain");
        await().during(java.time.Duration.ofSeconds(2))
                .atMost(java.time.Duration.ofSeconds(5))
                .until(() -> cluster.pods("classes", "escape"), List::isEmpty);
    }
}
