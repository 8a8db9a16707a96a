package dev.monoscope.operator;

import static org.awaitility.Awaitility.await;

import dev.monoscope.api.v1alpha1.SourceSpec;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorSpec;
import dev.monoscope.operator.pods.WorkerPods;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the tests do to the mock API server: create StreamMonitors, play the kubelet for pods (the mock has none:
 * phase, podIP and conditions are set here), and read back pods, conditions and Events.
 */
public final class TestCluster {

    static final Duration WAIT = Duration.ofSeconds(30);

    final KubernetesClient client;

    TestCluster(KubernetesClient client) {
        this.client = client;
    }

    /** A StreamMonitor of a multicast source, every detector on by default. */
    public static StreamMonitor monitor(String namespace, String name) {
        StreamMonitor sm = new StreamMonitor();
        sm.setMetadata(
                new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        sm.setSpec(new StreamMonitorSpec());
        sm.getSpec().source = new SourceSpec();
        sm.getSpec().source.url = "udp://239.0.0.1:5000";
        return sm;
    }

    StreamMonitor create(StreamMonitor sm) {
        return client.resource(sm).create();
    }

    StreamMonitor get(String namespace, String name) {
        return client.resources(StreamMonitor.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    StreamMonitor edit(String namespace, String name, java.util.function.Consumer<StreamMonitorSpec> change) {
        return client.resources(StreamMonitor.class)
                .inNamespace(namespace)
                .withName(name)
                .edit(sm -> {
                    change.accept(sm.getSpec());
                    return sm;
                });
    }

    List<Pod> pods(String namespace, String name) {
        return client
                .pods()
                .inNamespace(namespace)
                .withLabel(WorkerPods.LABEL_INSTANCE, name)
                .list()
                .getItems()
                .stream()
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
    }

    List<Pod> awaitPods(String namespace, String name, int count) {
        await().atMost(WAIT).until(() -> pods(namespace, name).size() == count);
        return pods(namespace, name);
    }

    /** Plays the kubelet: the pod runs on node-1 with the worker's IP, and the worker reports as that pod. */
    void running(Pod pod, FakeWorker worker, boolean ready) {
        worker.runsIn(pod);
        running(pod, worker.ip, ready);
    }

    /** Plays the kubelet: the pod runs on node-1 with this IP, ready or not. */
    void running(Pod pod, String ip, boolean ready) {
        String now = Instant.now().toString();
        client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .edit(p -> {
                    p.getSpec().setNodeName("node-1");
                    return p;
                });
        setStatus(
                pod,
                new PodStatusBuilder()
                        .withPhase("Running")
                        .withPodIP(ip)
                        .addNewCondition()
                        .withType("PodScheduled")
                        .withStatus("True")
                        .withLastTransitionTime(now)
                        .endCondition()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus(ready ? "True" : "False")
                        .withLastTransitionTime(now)
                        .endCondition()
                        .build());
    }

    /** Plays the kubelet after a container restart: Running and ready, restartCount and the last exit as given. */
    void restarted(Pod pod, String ip, int restartCount, String lastReason, int exitCode) {
        String now = Instant.now().toString();
        setStatus(
                pod,
                new PodStatusBuilder()
                        .withPhase("Running")
                        .withPodIP(ip)
                        .addNewCondition()
                        .withType("PodScheduled")
                        .withStatus("True")
                        .withLastTransitionTime(now)
                        .endCondition()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .withLastTransitionTime(now)
                        .endCondition()
                        .addNewContainerStatus()
                        .withName(WorkerPods.CONTAINER)
                        .withReady(true)
                        .withRestartCount(restartCount)
                        .withNewState()
                        .withNewRunning()
                        .withStartedAt(now)
                        .endRunning()
                        .endState()
                        .withNewLastState()
                        .withNewTerminated()
                        .withReason(lastReason)
                        .withExitCode(exitCode)
                        .endTerminated()
                        .endLastState()
                        .endContainerStatus()
                        .build());
    }

    /** Plays the kubelet of a pod whose container cannot start: Pending, placed, the container waiting. */
    void waiting(Pod pod, String reason, String message) {
        setStatus(
                pod,
                new PodStatusBuilder()
                        .withPhase("Pending")
                        .addNewCondition()
                        .withType("PodScheduled")
                        .withStatus("True")
                        .withLastTransitionTime(Instant.now().toString())
                        .endCondition()
                        .addNewContainerStatus()
                        .withName(WorkerPods.CONTAINER)
                        .withReady(false)
                        .withRestartCount(0)
                        .withNewState()
                        .withNewWaiting()
                        .withReason(reason)
                        .withMessage(message)
                        .endWaiting()
                        .endState()
                        .endContainerStatus()
                        .build());
    }

    void failed(Pod pod, String reason) {
        setStatus(
                pod,
                new PodStatusBuilder().withPhase("Failed").withReason(reason).build());
    }

    void unschedulable(Pod pod, Instant since, String message) {
        setStatus(
                pod,
                new PodStatusBuilder()
                        .withPhase("Pending")
                        .addNewCondition()
                        .withType("PodScheduled")
                        .withStatus("False")
                        .withReason("Unschedulable")
                        .withMessage(message)
                        .withLastTransitionTime(since.toString())
                        .endCondition()
                        .build());
    }

    /** Replaces the pod's status (a PUT: the test server appends to lists on a merge patch). */
    private void setStatus(Pod pod, PodStatus status) {
        Pod current = client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .get();
        current.setStatus(status);
        client.resource(current).subresource("status").update();
    }

    Optional<Condition> condition(String namespace, String name, String type) {
        StreamMonitor sm = get(namespace, name);
        if (sm == null || sm.getStatus() == null || sm.getStatus().conditions == null) {
            return Optional.empty();
        }
        return sm.getStatus().conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    void awaitCondition(String namespace, String name, String type, String status, String reason) {
        await().atMost(WAIT)
                .untilAsserted(() -> org.assertj.core.api.Assertions.assertThat(condition(namespace, name, type))
                        .hasValueSatisfying(c -> {
                            org.assertj.core.api.Assertions.assertThat(c.getStatus())
                                    .isEqualTo(status);
                            org.assertj.core.api.Assertions.assertThat(c.getReason())
                                    .isEqualTo(reason);
                        }));
    }

    List<Event> events(String namespace, String name, String reason) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null
                        && name.equals(e.getInvolvedObject().getName()))
                .filter(e -> reason.equals(e.getReason()))
                .toList();
    }
}
