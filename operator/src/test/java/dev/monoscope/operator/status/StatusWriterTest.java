package dev.monoscope.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.operator.ApiWrites;
import dev.monoscope.operator.TestCluster;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Status is written with the resourceVersion read; a conflict (someone wrote in between) is read again and retried. */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusWriterTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    @Test
    void aConflictingStatusWriteIsRetriedWithTheCurrentResourceVersion() throws Exception {
        try (InputStream crd =
                getClass().getResourceAsStream("/META-INF/fabric8/streammonitors.monoscope.dev-v1.yml")) {
            client.apiextensions().v1().customResourceDefinitions().load(crd).create();
        }
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
}
