package dev.monoscope.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.operator.events.PodEventRecorder;
import dev.monoscope.operator.pods.WorkerPods;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PodLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    KubernetesClient client;

    @Inject
    OperatorConfig config;

    @Inject
    StreamMonitorReconciler reconciler;

    @Test
    void createsOneHardenedWorkerPodPerTheContractAndBecomesReady() throws Exception {
        TestCluster cluster = new TestCluster(client);
        StreamMonitor sm = TestCluster.monitor("create", "news");
        sm.getSpec().source.credentialsSecretRef = new dev.monoscope.api.v1alpha1.CredentialsSecretRef();
        sm.getSpec().source.credentialsSecretRef.name = "news-creds";
        StreamMonitor created = cluster.create(sm);

        Pod pod = cluster.awaitPods("create", "news", 1).get(0);
        assertThat(pod.getMetadata().getName()).matches("news-0-[0-9a-f]{5}");
        assertThat(pod.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", "monoscope-worker")
                .containsEntry("app.kubernetes.io/instance", "news")
                .containsEntry("monoscope.dev/shard", "0");
        assertThat(pod.getMetadata().getAnnotations()).containsKey("monoscope.dev/config-hash");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getController()).isTrue();
            assertThat(o.getKind()).isEqualTo("StreamMonitor");
            assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid());
        });
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSpec().getSecurityContext().getSeccompProfile().getType())
                .isEqualTo("RuntimeDefault");
        Container worker = pod.getSpec().getContainers().get(0);
        assertThat(pod.getSpec().getContainers()).hasSize(1);
        assertThat(worker.getName()).isEqualTo("worker");
        assertThat(worker.getImage()).isEqualTo("monoscope/worker:0.1.0");
        assertThat(worker.getArgs()).containsExactly("server");
        assertThat(worker.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getName()).isEqualTo("http"));
        assertThat(worker.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(worker.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(worker.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(worker.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(worker.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(worker.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(worker.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(worker.getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());

        EnvVar config = env(worker, "MONOSCOPE_CONFIG");
        JsonNode json = JSON.readTree(config.getValue());
        assertThat(json.at("/source/url").asText()).isEqualTo("udp://239.0.0.1:5000");
        assertThat(json.at("/stream/namespace").asText()).isEqualTo("create");
        assertThat(json.at("/stream/name").asText()).isEqualTo("news");
        assertThat(json.at("/shard/count").asInt()).isEqualTo(1);
        assertThat(env(worker, "POD_IP").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("status.podIP");
        assertThat(env(worker, "MONOSCOPE_SOURCE_PASSWORD")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getName())
                .isEqualTo("news-creds");
        assertThat(env(worker, "MONOSCOPE_SOURCE_PASSWORD").getValue()).isNull();
        assertThat(env(worker, "JAVACPP_CACHE_DIR").getValue()).startsWith("/tmp");

        cluster.awaitCondition("create", "news", StreamMonitorStatus.READY, "False", "Progressing");
        // The pod counts in status without any further event (its own creation event is filtered out).
        await().atMost(TestCluster.WAIT)
                .until(() ->
                        Integer.valueOf(1).equals(cluster.get("create", "news").getStatus().replicas));
        cluster.running(pod, "127.0.1.1", true);
        cluster.awaitCondition("create", "news", StreamMonitorStatus.READY, "True", "Monitoring");
        StreamMonitor now = cluster.get("create", "news");
        assertThat(now.getStatus().replicas).isEqualTo(1);
        assertThat(now.getStatus().selector)
                .isEqualTo("app.kubernetes.io/name=monoscope-worker,app.kubernetes.io/instance=news");
        assertThat(now.getStatus().observedGeneration)
                .isEqualTo(now.getMetadata().getGeneration());
    }

    @Test
    void scalesOneToThreeToOneWithTheDetectorsSplitOverShards() throws Exception {
        TestCluster cluster = new TestCluster(client);
        cluster.create(TestCluster.monitor("scale", "sport"));
        Pod first = cluster.awaitPods("scale", "sport", 1).get(0);

        cluster.edit("scale", "sport", spec -> spec.replicas = 3);
        // Every shard's configuration changes (the shard count is part of it): expect shards 0, 1, 2.
        await().atMost(TestCluster.WAIT)
                .until(() -> shards(cluster.pods("scale", "sport")).equals(Set.of("0", "1", "2")));
        markAllRunning(cluster, "scale", "sport");
        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            markAllRunning(cluster, "scale", "sport");
            assertThat(cluster.pods("scale", "sport")).hasSize(3);
            assertThat(cluster.pods("scale", "sport"))
                    .noneMatch(p ->
                            p.getMetadata().getName().equals(first.getMetadata().getName()));
        });
        List<Pod> three = cluster.pods("scale", "sport");
        // black+freeze together, signalLoss, corruption and delivery everywhere.
        for (Pod p : three) {
            JsonNode config = JSON.readTree(
                    env(p.getSpec().getContainers().get(0), "MONOSCOPE_CONFIG").getValue());
            assertThat(config.at("/detectors/signalLoss/enabled").asBoolean()).isTrue();
            assertThat(config.at("/detectors/corruption/enabled").asBoolean()).isTrue();
            assertThat(config.at("/detectors/delivery/enabled").asBoolean()).isTrue();
            assertThat(config.at("/detectors/black/enabled").asBoolean())
                    .isEqualTo(config.at("/detectors/freeze/enabled").asBoolean());
        }

        cluster.edit("scale", "sport", spec -> spec.replicas = 1);
        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            markAllRunning(cluster, "scale", "sport");
            assertThat(cluster.pods("scale", "sport"))
                    .singleElement()
                    .satisfies(p -> assertThat(WorkerPods.shard(p)).isZero());
        });
        cluster.awaitCondition("scale", "sport", StreamMonitorStatus.READY, "True", "Monitoring");
        // Ready may be written while the old shards still terminate; the count settles on the next write.
        await().atMost(TestCluster.WAIT)
                .untilAsserted(() -> assertThat(cluster.get("scale", "sport").getStatus().replicas)
                        .isEqualTo(1));
    }

    @Test
    void specChangeReplacesOneShardAtATimeNewPodFirstOldPodOnceTheNewOneIsReady() throws Exception {
        TestCluster cluster = new TestCluster(client);
        StreamMonitor sm = TestCluster.monitor("rollout", "movies");
        sm.getSpec().replicas = 2;
        cluster.create(sm);
        cluster.awaitPods("rollout", "movies", 2);
        markAllRunning(cluster, "rollout", "movies");
        cluster.awaitCondition("rollout", "movies", StreamMonitorStatus.READY, "True", "Monitoring");
        List<Pod> before = cluster.pods("rollout", "movies");

        cluster.edit("rollout", "movies", spec -> spec.source.url = "udp://239.0.0.2:5000");
        // First shard: the new pod comes next to the old one; the other shard is not touched yet.
        Pod first = awaitNewPod(cluster, before, Set.of());
        Thread.sleep(1000);
        assertThat(names(cluster.pods("rollout", "movies")))
                .as("old pods stay until the new one is ready")
                .containsAll(names(before))
                .contains(first.getMetadata().getName())
                .hasSize(3);

        cluster.running(first, "127.0.2.101", true);
        // The old pod of that shard goes, and only then does the second shard get its new pod.
        Pod second = awaitNewPod(cluster, before, Set.of(first.getMetadata().getName()));
        assertThat(WorkerPods.shard(second)).isNotEqualTo(WorkerPods.shard(first));
        assertThat(cluster.pods("rollout", "movies"))
                .filteredOn(p -> WorkerPods.shard(p) == WorkerPods.shard(first))
                .extracting(p -> p.getMetadata().getName())
                .containsExactly(first.getMetadata().getName());
        assertThat(shards(cluster.pods("rollout", "movies"))).containsExactlyInAnyOrder("0", "1");

        cluster.running(second, "127.0.2.102", true);
        await().atMost(TestCluster.WAIT)
                .until(() -> names(cluster.pods("rollout", "movies"))
                        .equals(Set.of(
                                first.getMetadata().getName(),
                                second.getMetadata().getName())));
        assertThat(cluster.pods("rollout", "movies"))
                .allSatisfy(p -> assertThat(env(p.getSpec().getContainers().get(0), "MONOSCOPE_CONFIG")
                                .getValue())
                        .contains("udp://239.0.0.2:5000"));
        cluster.awaitCondition("rollout", "movies", StreamMonitorStatus.READY, "True", "Monitoring");
        // One Normal Event per replaced pod, naming the old pod and its successor.
        await().atMost(TestCluster.WAIT)
                .until(() -> cluster.events("rollout", "movies", PodEventRecorder.REASON_REPLACED)
                                .size()
                        == 2);
        assertThat(cluster.events("rollout", "movies", PodEventRecorder.REASON_REPLACED))
                .allSatisfy(e -> {
                    assertThat(e.getType()).isEqualTo("Normal");
                    assertThat(e.getCount()).isEqualTo(1);
                })
                .extracting(e -> e.getMessage())
                .containsExactlyInAnyOrder(
                        "worker pod " + replaced(before, first) + " replaced by "
                                + first.getMetadata().getName() + " after a configuration change",
                        "worker pod " + replaced(before, second) + " replaced by "
                                + second.getMetadata().getName() + " after a configuration change");
        assertThat(cluster.events("rollout", "movies", PodEventRecorder.REASON_RESTARTED))
                .isEmpty();
    }

    private static String replaced(List<Pod> before, Pod successor) {
        return before.stream()
                .filter(p -> WorkerPods.shard(p) == WorkerPods.shard(successor))
                .findFirst()
                .orElseThrow()
                .getMetadata()
                .getName();
    }

    private static Pod awaitNewPod(TestCluster cluster, List<Pod> before, Set<String> known) {
        Set<String> old = names(before);
        await().atMost(TestCluster.WAIT)
                .until(() -> cluster.pods("rollout", "movies").stream()
                        .anyMatch(p -> !old.contains(p.getMetadata().getName())
                                && !known.contains(p.getMetadata().getName())));
        List<Pod> fresh = cluster.pods("rollout", "movies").stream()
                .filter(p -> !old.contains(p.getMetadata().getName())
                        && !known.contains(p.getMetadata().getName()))
                .toList();
        assertThat(fresh).as("one shard at a time").hasSize(1);
        return fresh.get(0);
    }

    @Test
    void deletedAndFailedPodsAreRecreatedAndRestartsAreReportedAsEvents() {
        TestCluster cluster = new TestCluster(client);
        cluster.create(TestCluster.monitor("recreate", "radio"));
        Pod pod = cluster.awaitPods("recreate", "radio", 1).get(0);
        cluster.running(pod, "127.0.1.2", true);
        cluster.awaitCondition("recreate", "radio", StreamMonitorStatus.READY, "True", "Monitoring");

        client.pods()
                .inNamespace("recreate")
                .withName(pod.getMetadata().getName())
                .delete();
        await().atMost(TestCluster.WAIT)
                .until(() -> cluster.pods("recreate", "radio").stream()
                        .anyMatch(p -> !p.getMetadata()
                                .getUid()
                                .equals(pod.getMetadata().getUid())));
        Pod second = cluster.pods("recreate", "radio").get(0);
        assertThat(second.getMetadata().getName()).isEqualTo(pod.getMetadata().getName());
        String name = pod.getMetadata().getName();
        await().atMost(TestCluster.WAIT)
                .until(() -> !cluster.events("recreate", "radio", PodEventRecorder.REASON_RESTARTED)
                        .isEmpty());
        assertThat(cluster.events("recreate", "radio", PodEventRecorder.REASON_RESTARTED))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getMessage())
                            .isEqualTo("worker pod " + name + " was deleted; its shard gets a new pod after a backoff");
                });

        cluster.failed(second, "Evicted");
        await().atMost(TestCluster.WAIT)
                .until(() -> cluster.pods("recreate", "radio").stream()
                        .anyMatch(p -> !p.getMetadata()
                                        .getUid()
                                        .equals(second.getMetadata().getUid())
                                && !"Failed".equals(WorkerPods.phase(p))));
        assertThat(cluster.pods("recreate", "radio")).hasSize(1);
        String evicted = "worker pod " + name + " failed (Evicted); its shard gets a new pod after a backoff";
        await().atMost(TestCluster.WAIT)
                .until(() -> cluster.events("recreate", "radio", PodEventRecorder.REASON_RESTARTED).stream()
                        .anyMatch(e -> evicted.equals(e.getMessage())));

        // Once the operator has seen restartCount 1 (in status), every further restart is a Warning; the same
        // cause again bumps that Event's count.
        Pod third = cluster.pods("recreate", "radio").get(0);
        cluster.restarted(third, "127.0.1.2", 1, "OOMKilled", 137);
        await().atMost(TestCluster.WAIT).until(() -> {
            StreamMonitor sm = cluster.get("recreate", "radio");
            return sm.getStatus() != null
                    && sm.getStatus().workers.stream()
                            .anyMatch(w -> Integer.valueOf(1).equals(w.restarts));
        });
        String error = "worker pod " + name + " restarted its container (last exit: Error, code 1)";
        cluster.restarted(third, "127.0.1.2", 2, "Error", 1);
        await().atMost(TestCluster.WAIT)
                .until(() -> cluster.events("recreate", "radio", PodEventRecorder.REASON_RESTARTED).stream()
                        .anyMatch(e -> error.equals(e.getMessage())));
        cluster.restarted(third, "127.0.1.2", 3, "Error", 1);
        await().atMost(TestCluster.WAIT)
                .until(() -> cluster.events("recreate", "radio", PodEventRecorder.REASON_RESTARTED).stream()
                        .anyMatch(e -> error.equals(e.getMessage()) && e.getCount() == 2));
        assertThat(cluster.events("recreate", "radio", PodEventRecorder.REASON_RESTARTED))
                .filteredOn(e -> error.equals(e.getMessage()))
                .singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    }

    @Test
    void suspendRemovesThePodsAndSaysSoAndResumeBringsThemBack() {
        TestCluster cluster = new TestCluster(client);
        cluster.create(TestCluster.monitor("suspend", "tv"));
        cluster.awaitPods("suspend", "tv", 1);
        cluster.edit("suspend", "tv", spec -> spec.suspend = true);
        cluster.awaitPods("suspend", "tv", 0);
        cluster.awaitCondition("suspend", "tv", StreamMonitorStatus.READY, "False", "Suspended");
        cluster.edit("suspend", "tv", spec -> spec.suspend = false);
        cluster.awaitPods("suspend", "tv", 1);
    }

    @Test
    void invalidSpecGivesInvalidSpecNamingTheFieldAndNoPods() throws Exception {
        TestCluster cluster = new TestCluster(client);
        StreamMonitor sm = TestCluster.monitor("invalid", "bad");
        sm.getSpec().source.url = "file:///etc/passwd";
        cluster.create(sm);
        cluster.awaitCondition("invalid", "bad", StreamMonitorStatus.READY, "False", "InvalidSpec");
        assertThat(cluster.condition("invalid", "bad", StreamMonitorStatus.READY)
                        .orElseThrow()
                        .getMessage())
                .contains("spec.source.url");
        Thread.sleep(500);
        assertThat(cluster.pods("invalid", "bad")).isEmpty();

        cluster.edit("invalid", "bad", spec -> spec.source.url = "srt://example.com:9000");
        cluster.awaitPods("invalid", "bad", 1);
    }

    @Test
    void deletingTheMonitorLeavesThePodsToTheGarbageCollectorAndDropsWhatTheOperatorKeptOfIt() throws Exception {
        TestCluster cluster = new TestCluster(client);
        StreamMonitor created = cluster.create(TestCluster.monitor("gc", "gone"));
        Pod pod = cluster.awaitPods("gc", "gone", 1).get(0);
        try (FakeWorker worker = new FakeWorker("127.0.6.1", config.report().port())) {
            cluster.running(pod, worker, true);
            worker.start("black", null, "critical", 2.0);
            cluster.awaitCondition("gc", "gone", StreamMonitorStatus.HEALTHY, "False", "BlackVideo");
            assertThat(reconciler.remembers(created)).isTrue();

            client.resource(created).delete();
            await().atMost(TestCluster.WAIT).until(() -> cluster.get("gc", "gone") == null);
            // No finalizer: the informer's delete drops the ledger, Event memory, backoff, status and the poll.
            await().atMost(TestCluster.WAIT).until(() -> !reconciler.remembers(created));
            // The pod is still there (no garbage collector here), running with an IP: nobody polls it any more.
            Thread.sleep(3000); // a long poll in flight when the monitor went may still finish (waitSeconds=2)
            int polled = worker.requests.get();
            Thread.sleep(3000);
            assertThat(worker.requests.get())
                    .as("report requests after the monitor was deleted")
                    .isEqualTo(polled);
        }
        // The test server has no garbage collector: what matters is the controller reference it would follow.
        assertThat(cluster.pods("gc", "gone"))
                .singleElement()
                .satisfies(p -> assertThat(p.getMetadata().getOwnerReferences())
                        .singleElement()
                        .satisfies(o -> {
                            assertThat(o.getUid())
                                    .isEqualTo(created.getMetadata().getUid());
                            assertThat(o.getController()).isTrue();
                            assertThat(o.getBlockOwnerDeletion()).isTrue();
                        }));
        assertThat(pod.getMetadata().getUid())
                .isEqualTo(cluster.pods("gc", "gone").get(0).getMetadata().getUid());
    }

    static void markAllRunning(TestCluster cluster, String namespace, String name) {
        int i = 10;
        for (Pod p : cluster.pods(namespace, name)) {
            i++;
            if (!"Running".equals(WorkerPods.phase(p))) {
                cluster.running(p, "127.0.2." + i, true);
            }
        }
    }

    static EnvVar env(Container c, String name) {
        return c.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    static Set<String> shards(List<Pod> pods) {
        return pods.stream()
                .map(p -> p.getMetadata().getLabels().get(WorkerPods.LABEL_SHARD))
                .collect(Collectors.toSet());
    }

    static Set<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    }
}
