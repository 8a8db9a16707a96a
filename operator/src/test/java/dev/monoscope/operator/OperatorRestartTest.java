package dev.monoscope.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.operator.events.DefectEventRecorder;
import dev.monoscope.operator.events.EventWriter;
import dev.monoscope.operator.pods.DesiredPod;
import dev.monoscope.operator.pods.PodRollout;
import dev.monoscope.operator.pods.WorkerClass;
import dev.monoscope.operator.pods.WorkerPodFactory;
import dev.monoscope.operator.pods.WorkerPods;
import dev.monoscope.operator.status.DefectLedger;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An operator restart: a new process has none of the old one's memory. The same classes, freshly made (as a
 * restarted operator makes them), look at what the cluster has: they must adopt the pods (no create, no delete)
 * and the active defects (no second Event, no second count).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OperatorRestartTest {

    @Inject
    KubernetesClient client;

    @Inject
    OperatorConfig config;

    @Test
    void aRestartedOperatorAdoptsPodsAndActiveDefectsWithoutWritingAnything() throws Exception {
        TestCluster cluster = new TestCluster(client);
        try (FakeWorker a = new FakeWorker("127.0.5.1", config.report().port());
                FakeWorker b = new FakeWorker("127.0.5.2", config.report().port())) {
            StreamMonitor sm = TestCluster.monitor("restart", "news");
            sm.getSpec().replicas = 2;
            cluster.create(sm);
            List<Pod> pods = cluster.awaitPods("restart", "news", 2);
            cluster.running(pods.get(0), a, true);
            cluster.running(pods.get(1), b, true);
            Defect silence = a.start("silence", null, "critical", 5.0);
            cluster.awaitCondition("restart", "news", StreamMonitorStatus.HEALTHY, "False", "AudioSilence");
            cluster.awaitCondition("restart", "news", StreamMonitorStatus.READY, "True", "Monitoring");
            Thread.sleep(1500);

            StreamMonitor monitor = cluster.get("restart", "news");
            List<Pod> existing = cluster.pods("restart", "news");
            ApiWrites freshWrites = new ApiWrites(new SimpleMeterRegistry());
            WorkerPodFactory factory = new WorkerPodFactory(config);
            PodRollout rollout = new PodRollout(client, freshWrites, config);
            List<DesiredPod> desired = factory.desired(monitor, WorkerClass.fromConfig(config), shard -> false);
            PodRollout.Result result = rollout.apply(monitor, existing, desired, p -> true, p -> {});
            assertThat(freshWrites.total())
                    .as("API writes of the restarted operator's rollout")
                    .isZero();
            assertThat(result.complete()).isTrue();
            assertThat(cluster.pods("restart", "news"))
                    .extracting(p -> p.getMetadata().getUid())
                    .containsExactlyElementsOf(
                            existing.stream().map(p -> p.getMetadata().getUid()).toList());

            DefectLedger ledger = new DefectLedger();
            DefectLedger.View view = ledger.update(
                    monitor.getMetadata().getUid(),
                    monitor.getStatus(),
                    List.of(report(a), report(b)),
                    true,
                    Instant.now());
            assertThat(view.transitions()).as("no defect starts or ends again").isEmpty();
            assertThat(view.active())
                    .singleElement()
                    .satisfies(d -> assertThat(d.id).isEqualTo(silence.id));
            assertThat(view.counts()).containsEntry("silence", 1L);
            DefectEventRecorder events = new DefectEventRecorder(new EventWriter(client, freshWrites), config);
            events.record(monitor, view.transitions());
            assertThat(freshWrites.total()).isZero();
            assertThat(cluster.events("restart", "news", "AudioSilence")).hasSize(1);
            assertThat(existing)
                    .allSatisfy(p -> assertThat(WorkerPods.isReady(p)).isTrue());
        }
    }

    private static WorkerReport report(FakeWorker worker) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://" + worker.ip + ":" + ConfigPort.port() + "/api/v1/report"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(response.body(), WorkerReport.class);
    }

    /** The report port of the test profile. */
    static final class ConfigPort {
        static int port() {
            return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getValue("monoscope.report.port", Integer.class);
        }
    }
}
