package dev.monoscope.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.api.worker.Defect;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Worker reports served on loopback addresses by real HTTP servers → status, conditions and Events. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerReportTest {

    @Inject
    KubernetesClient client;

    @ConfigProperty(name = "monoscope.report.port")
    int port;

    @Test
    void defectStartAndEndGiveStatusConditionAndExactlyOneEventEachAndCountsSurviveWorkerRestarts() throws Exception {
        TestCluster cluster = new TestCluster(client);
        try (FakeWorker worker = new FakeWorker("127.0.3.1", port)) {
            cluster.create(TestCluster.monitor("reports", "news"));
            Pod pod = cluster.awaitPods("reports", "news", 1).get(0);
            cluster.running(pod, worker, true);
            cluster.awaitCondition("reports", "news", StreamMonitorStatus.CONNECTED, "True", "Connected");
            cluster.awaitCondition("reports", "news", StreamMonitorStatus.HEALTHY, "True", "NoDefects");
            StreamMonitor ready = cluster.get("reports", "news");
            assertThat(ready.getStatus().stream.frameRate).isEqualTo(25.0);
            assertThat(ready.getStatus().decoder).isEqualTo("cpu");
            assertThat(ready.getStatus().workers).singleElement().satisfies(w -> {
                assertThat(w.pod).isEqualTo(pod.getMetadata().getName());
                assertThat(w.node).isEqualTo("node-1");
                assertThat(w.connected).isTrue();
            });

            String readySince = cluster.condition("reports", "news", StreamMonitorStatus.READY)
                    .orElseThrow()
                    .getLastTransitionTime();
            Defect black = worker.start("black", null, "critical", 12.0);
            cluster.awaitCondition("reports", "news", StreamMonitorStatus.HEALTHY, "False", "BlackVideo");
            assertThat(cluster.condition("reports", "news", StreamMonitorStatus.READY)
                            .orElseThrow()
                            .getLastTransitionTime())
                    .as("Ready did not flip, so its lastTransitionTime stays")
                    .isEqualTo(readySince);
            StreamMonitor active = cluster.get("reports", "news");
            assertThat(active.getStatus().activeDefects).singleElement().satisfies(d -> {
                assertThat(d.type).isEqualTo("black");
                assertThat(d.instanceId).isEqualTo(worker.instanceId());
                assertThat(d.start).isEqualTo(12.0);
            });
            assertThat(active.getStatus().activeDefectSummary).isEqualTo("black");
            assertThat(active.getStatus().defectCounts).containsEntry("black", 1L);
            await().atMost(TestCluster.WAIT)
                    .until(() ->
                            !cluster.events("reports", "news", "BlackVideo").isEmpty());

            worker.end(black, 16.0);
            cluster.awaitCondition("reports", "news", StreamMonitorStatus.HEALTHY, "True", "NoDefects");
            StreamMonitor cleared = cluster.get("reports", "news");
            assertThat(cleared.getStatus().activeDefects).isEmpty();
            assertThat(cleared.getStatus().activeDefectSummary).isNull();
            assertThat(cleared.getStatus().lastDefect.id).isEqualTo(black.id);
            await().atMost(TestCluster.WAIT)
                    .until(() -> cluster.events("reports", "news", "BlackVideo").size() == 2);
            Thread.sleep(1500); // time for a duplicate to show up, were there one
            assertThat(cluster.events("reports", "news", "BlackVideo"))
                    .extracting(e -> e.getType())
                    .containsExactlyInAnyOrder("Warning", "Normal");

            worker.restart();
            worker.start("black", null, "critical", 3.0);
            await().atMost(TestCluster.WAIT)
                    .untilAsserted(
                            () -> assertThat(cluster.get("reports", "news").getStatus().defectCounts)
                                    .containsEntry("black", 2L));
        }
    }

    @Test
    void shardsReportingTheSameSignalLossGiveOneDefect() throws Exception {
        TestCluster cluster = new TestCluster(client);
        try (FakeWorker a = new FakeWorker("127.0.3.2", port);
                FakeWorker b = new FakeWorker("127.0.3.3", port)) {
            StreamMonitor sm = TestCluster.monitor("reports", "sport");
            sm.getSpec().replicas = 2;
            cluster.create(sm);
            List<Pod> pods = cluster.awaitPods("reports", "sport", 2);
            cluster.running(pods.get(0), a, true);
            cluster.running(pods.get(1), b, true);
            cluster.awaitCondition("reports", "sport", StreamMonitorStatus.HEALTHY, "True", "NoDefects");

            Defect lossA = a.start("signal_loss", null, "critical", 30.0);
            Defect lossB = b.start("signal_loss", null, "critical", 30.1);
            cluster.awaitCondition("reports", "sport", StreamMonitorStatus.HEALTHY, "False", "SignalLoss");
            await().atMost(TestCluster.WAIT).untilAsserted(() -> {
                StreamMonitorStatus s = cluster.get("reports", "sport").getStatus();
                assertThat(s.activeDefects)
                        .singleElement()
                        .satisfies(d -> assertThat(d.type).isEqualTo("signal_loss"));
                assertThat(s.workers).allSatisfy(w -> assertThat(w.connected).isTrue());
            });
            a.end(lossA, 35.0);
            Thread.sleep(1500);
            assertThat(cluster.get("reports", "sport").getStatus().activeDefects)
                    .hasSize(1);
            b.end(lossB, 35.2);
            cluster.awaitCondition("reports", "sport", StreamMonitorStatus.HEALTHY, "True", "NoDefects");
            await().atMost(TestCluster.WAIT)
                    .until(() ->
                            cluster.events("reports", "sport", "SignalLoss").size() == 2);
            Thread.sleep(1500);
            assertThat(cluster.events("reports", "sport", "SignalLoss"))
                    .extracting(e -> e.getType())
                    .containsExactlyInAnyOrder("Warning", "Normal");
            assertThat(cluster.get("reports", "sport").getStatus().defectCounts).containsEntry("signal_loss", 1L);
        }
    }

    @Test
    void aFlappingDefectGivesOneFlappingEventInsteadOfAStream() throws Exception {
        TestCluster cluster = new TestCluster(client);
        try (FakeWorker worker = new FakeWorker("127.0.3.4", port)) {
            cluster.create(TestCluster.monitor("reports", "radio"));
            cluster.running(cluster.awaitPods("reports", "radio", 1).get(0), worker, true);
            cluster.awaitCondition("reports", "radio", StreamMonitorStatus.HEALTHY, "True", "NoDefects");

            for (int i = 0; i < 10; i++) {
                Defect d = worker.start("freeze", null, "critical", i * 2.0);
                Thread.sleep(150);
                worker.end(d, i * 2.0 + 1);
                Thread.sleep(150);
            }
            Defect last = worker.start("freeze", null, "critical", 30.0);
            cluster.awaitCondition("reports", "radio", StreamMonitorStatus.HEALTHY, "False", "Flapping");
            await().atMost(TestCluster.WAIT)
                    .untilAsserted(
                            () -> assertThat(cluster.get("reports", "radio").getStatus().defectCounts)
                                    .containsEntry("freeze", 11L));
            Thread.sleep(1500);
            assertThat(cluster.events("reports", "radio", "Flapping")).hasSize(1);
            assertThat(cluster.events("reports", "radio", "FrozenVideo").stream()
                            .filter(e -> "Warning".equals(e.getType())))
                    .hasSize(6);
            worker.end(last, 31.0);
        }
    }

    @Test
    void aReportThatDoesNotNameThePodAskedIsDropped() throws Exception {
        TestCluster cluster = new TestCluster(client);
        try (FakeWorker worker = new FakeWorker("127.0.3.6", port)) {
            cluster.create(TestCluster.monitor("reports", "imposter"));
            Pod pod = cluster.awaitPods("reports", "imposter", 1).get(0);
            worker.start("black", null, "critical", 1.0);
            cluster.running(pod, worker.ip, true); // its report names no pod
            await().atMost(TestCluster.WAIT).until(() -> worker.requests.get() >= 2);
            worker.claims("00000000-0000-0000-0000-000000000000");
            int asked = worker.requests.get();
            await().atMost(TestCluster.WAIT).until(() -> worker.requests.get() >= asked + 2);
            cluster.awaitCondition("reports", "imposter", StreamMonitorStatus.CONNECTED, "Unknown", "NoReport");
            assertThat(cluster.get("reports", "imposter").getStatus().activeDefects)
                    .isEmpty();

            worker.runsIn(pod);
            cluster.awaitCondition("reports", "imposter", StreamMonitorStatus.HEALTHY, "False", "BlackVideo");
        }
    }

    @Test
    void noStatusWriteWhenTheReportDidNotChange() throws Exception {
        TestCluster cluster = new TestCluster(client);
        try (FakeWorker worker = new FakeWorker("127.0.3.5", port)) {
            cluster.create(TestCluster.monitor("reports", "quiet"));
            cluster.running(cluster.awaitPods("reports", "quiet", 1).get(0), worker, true);
            cluster.awaitCondition("reports", "quiet", StreamMonitorStatus.READY, "True", "Monitoring");
            cluster.awaitCondition("reports", "quiet", StreamMonitorStatus.HEALTHY, "True", "NoDefects");
            Thread.sleep(2000); // let a coalesced write land, if one is pending
            String version = cluster.get("reports", "quiet").getMetadata().getResourceVersion();
            int requests = worker.requests.get();
            long until = System.currentTimeMillis() + 7000;
            while (System.currentTimeMillis() < until) {
                worker.tick(); // counters move, the version does not
                Thread.sleep(250);
            }
            assertThat(worker.requests.get() - requests)
                    .as("the operator kept polling")
                    .isGreaterThanOrEqualTo(2);
            assertThat(cluster.get("reports", "quiet").getMetadata().getResourceVersion())
                    .isEqualTo(version);
        }
    }
}
