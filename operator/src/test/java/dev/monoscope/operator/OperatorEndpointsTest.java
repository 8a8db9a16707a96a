package dev.monoscope.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Health endpoints, the API-write metric, and the verb table that every write is checked against. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperatorEndpointsTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    ApiWrites writes;

    @Inject
    KubernetesClient client;

    @Test
    void healthAndMetricsAreServedAndApiWritesAreCounted() throws Exception {
        TestCluster cluster = new TestCluster(client);
        cluster.create(TestCluster.monitor("endpoints", "metrics"));
        cluster.awaitPods("endpoints", "metrics", 1);
        assertThat(get("q/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("q/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = get("q/metrics");
        assertThat(metrics.body()).contains("monoscope_operator_api_writes_total{resource=\"pods\",verb=\"create\"}");
        assertThat(writes.total(ApiVerbs.PODS, ApiVerbs.CREATE)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aWriteWithAVerbOutsideTheTableIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> writes.record(ApiVerbs.PODS, ApiVerbs.PATCH))
                .isInstanceOf(IllegalStateException.class);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(root.toString() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
