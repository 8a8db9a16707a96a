package dev.monoscope.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.operator.ApiWrites;
import dev.monoscope.operator.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Status is written with the resourceVersion read; a conflict (someone wrote in between) is read again and retried.
 * Writes within the minimum interval wait, except the one that makes the StreamMonitor Ready.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusWriterTest {

    static KubernetesClient client;
    static KubernetesMockServer server;
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aConflictingStatusWriteIsRetriedWithTheCurrentResourceVersion() throws Exception {
        installCrd();
        StreamMonitor created =
                client.resource(TestCluster.monitor("conflict", "news")).create();
        // Another writer was faster: the first status write is refused.
        server.expect()
                .put()
                .withPath("/apis/monoscope.dev/v1alpha1/namespaces/conflict/streammonitors/news/status")
                .andReturn(
                        409,
                        new StatusBuilder()
                                .withCode(409)
                                .withReason("Conflict")
                                .withMessage("the object has been modified; please apply your changes to the latest"
                                        + " version and try again")
                                .build())
                .once();

        StatusWriter writer = new StatusWriter(client, new ApiWrites(new SimpleMeterRegistry()), Duration.ZERO);
        StreamMonitorStatus status = new StreamMonitorStatus();
        status.activeDefectSummary = "black";
        assertThat(writer.write(created, status)).isEmpty();

        StreamMonitor stored = client.resources(StreamMonitor.class)
                .inNamespace("conflict")
                .withName("news")
                .get();
        assertThat(stored.getStatus()).isNotNull();
        assertThat(stored.getStatus().activeDefectSummary).isEqualTo("black");
    }

    @Test
    void becomingReadyIsWrittenAtOnceButTheWriteAfterItWaitsTheInterval() throws Exception {
        installCrd();
        StreamMonitor monitor =
                client.resource(TestCluster.monitor("ready", "news")).create();
        StatusWriter writer = new StatusWriter(client, new ApiWrites(new SimpleMeterRegistry()), Duration.ofHours(1));

        assertThat(writer.write(monitor, withReady("False", "Progressing"))).isEmpty();
        monitor = reread(monitor);
        assertThat(writer.write(monitor, withReady("False", "WaitingForReport")))
                .as("a change within the interval waits")
                .isPresent();
        StreamMonitorStatus readyWithoutReport = withReady("True", "Monitoring");
        readyWithoutReport.conditions.add(condition(StreamMonitorStatus.CONNECTED, "Unknown", "NoReport"));
        assertThat(writer.write(monitor, readyWithoutReport))
                .as("Ready before the workers reported waits: their report comes next")
                .isPresent();
        assertThat(writer.write(monitor, withReady("True", "Monitoring")))
                .as("becoming Ready with every condition known does not wait")
                .isEmpty();
        assertThat(readyOf(reread(monitor))).isEqualTo("True");
        monitor = reread(monitor);
        assertThat(writer.write(monitor, withReady("False", "WorkerRestarting")))
                .as("the write after it waits the whole interval")
                .isPresent();
        assertThat(readyOf(reread(monitor))).isEqualTo("True");
    }

    @Test
    void theNextWriteOnACopyThatHasNotSeenTheLastGoesOnTheVersionTheLastProduced() throws Exception {
        installCrd();
        StreamMonitor cached =
                client.resource(TestCluster.monitor("stale", "news")).create();
        // kube-apiserver's answer to a status PUT: the object with a new resourceVersion. The versions sent are kept.
        List<String> sent = new CopyOnWriteArrayList<>();
        server.expect()
                .put()
                .withPath("/apis/monoscope.dev/v1alpha1/namespaces/stale/streammonitors/news/status")
                .andReply(200, request -> {
                    try {
                        ObjectNode body = (ObjectNode) JSON.readTree(request.getUtf8Body());
                        sent.add(body.path("metadata").path("resourceVersion").asText());
                        ((ObjectNode) body.get("metadata")).put("resourceVersion", "written-" + sent.size());
                        return body;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .always();
        StatusWriter writer = new StatusWriter(client, new ApiWrites(new SimpleMeterRegistry()), Duration.ZERO);

        assertThat(writer.write(cached, withReady("False", "Progressing"))).isEmpty();
        // The informer has not delivered the first write yet: the same copy comes again. Sent with its version,
        // the write would be refused (409) and read again.
        assertThat(writer.write(cached, withReady("True", "Monitoring"))).isEmpty();

        assertThat(sent).containsExactly(cached.getMetadata().getResourceVersion(), "written-1");
    }

    @Test
    void aNewStreamMonitorsFirstStatusWaitsForItsWorkersReportButNotForARefusal() throws Exception {
        installCrd();
        StreamMonitor starting =
                client.resource(TestCluster.monitor("first", "news")).create();
        StreamMonitor refused =
                client.resource(TestCluster.monitor("first", "sport")).create();
        StatusWriter writer = new StatusWriter(
                client, new ApiWrites(new SimpleMeterRegistry()), Duration.ofSeconds(5), Duration.ofHours(1));

        assertThat(writer.write(starting, withReady("False", "Progressing")))
                .as("pods on their way: the first status waits for the report")
                .isPresent();
        assertThat(reread(starting).getStatus().conditions).isEmpty();
        assertThat(writer.write(starting, withReady("True", "Monitoring"))).isEmpty();
        assertThat(readyOf(reread(starting))).isEqualTo("True");

        assertThat(writer.write(refused, withReady("False", "InvalidSpec")))
                .as("a refused spec is said at once")
                .isEmpty();
        assertThat(readyOf(reread(refused))).isEqualTo("False");
    }

    private void installCrd() throws Exception {
        try (InputStream crd =
                getClass().getResourceAsStream("/META-INF/fabric8/streammonitors.monoscope.dev-v1.yml")) {
            client.apiextensions().v1().customResourceDefinitions().load(crd).createOr(NonDeletingOperation::update);
        }
    }

    private static StreamMonitorStatus withReady(String ready, String reason) {
        StreamMonitorStatus status = new StreamMonitorStatus();
        status.conditions.add(condition(StreamMonitorStatus.READY, ready, reason));
        return status;
    }

    private static Condition condition(String type, String value, String reason) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(reason)
                .withLastTransitionTime("2026-01-01T00:00:00Z")
                .build();
    }

    private static StreamMonitor reread(StreamMonitor monitor) {
        return client.resources(StreamMonitor.class)
                .inNamespace(monitor.getMetadata().getNamespace())
                .withName(monitor.getMetadata().getName())
                .get();
    }

    private static String readyOf(StreamMonitor monitor) {
        return monitor.getStatus().conditions.stream()
                .filter(c -> StreamMonitorStatus.READY.equals(c.getType()))
                .findFirst()
                .orElseThrow()
                .getStatus();
    }
}
