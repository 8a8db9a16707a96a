package dev.monoscope.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What keeps a stream from being monitored is on the StreamMonitor, in words a user can act on: a pod the API
 * server refuses (Pod Security, quota), a Secret that does not exist, an image that cannot be pulled.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UserVisibleErrorsTest {

    @Inject
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesServer server;

    private void refusePods(String namespace, String message) {
        server.expect()
                .post()
                .withPath("/api/v1/namespaces/" + namespace + "/pods")
                .andReturn(
                        403,
                        new StatusBuilder()
                                .withStatus("Failure")
                                .withCode(403)
                                .withReason("Forbidden")
                                .withMessage(message)
                                .build())
                .always();
    }

    @Test
    void aPodRefusedByPodSecurityIsAConditionReasonAndAnEvent() {
        TestCluster cluster = new TestCluster(client);
        refusePods(
                "restricted",
                "pods \"news-0-abcde\" is forbidden: violates PodSecurity \"restricted:latest\": host namespaces"
                        + " (hostNetwork=true)");
        cluster.create(TestCluster.monitor("restricted", "news"));
        cluster.awaitCondition("restricted", "news", StreamMonitorStatus.READY, "False", "PodForbidden");
        assertThat(cluster.condition("restricted", "news", StreamMonitorStatus.READY)
                        .orElseThrow()
                        .getMessage())
                .contains("violates PodSecurity");
        await().atMost(TestCluster.WAIT)
                .until(() ->
                        !cluster.events("restricted", "news", "PodForbidden").isEmpty());
        assertThat(cluster.events("restricted", "news", "PodForbidden"))
                .singleElement()
                .extracting(Event::getType)
                .isEqualTo("Warning");
    }

    @Test
    void aPodOverQuotaIsAConditionReasonAndAnEvent() {
        TestCluster cluster = new TestCluster(client);
        refusePods(
                "full",
                "pods \"news-0-abcde\" is forbidden: exceeded quota: compute, requested: limits.cpu=2, used:"
                        + " limits.cpu=8, limited: limits.cpu=8");
        cluster.create(TestCluster.monitor("full", "news"));
        cluster.awaitCondition("full", "news", StreamMonitorStatus.READY, "False", "QuotaExceeded");
        await().atMost(TestCluster.WAIT)
                .until(() -> !cluster.events("full", "news", "QuotaExceeded").isEmpty());
    }

    @Test
    void aMissingSecretAndAnImageThatCannotBePulledAreConditionReasonsAndEvents() {
        TestCluster cluster = new TestCluster(client);
        cluster.create(TestCluster.monitor("stuck", "news"));
        Pod pod = cluster.awaitPods("stuck", "news", 1).get(0);

        cluster.waiting(pod, "CreateContainerConfigError", "secret \"origin-credentials\" not found");
        cluster.awaitCondition("stuck", "news", StreamMonitorStatus.READY, "False", "CreateContainerConfigError");
        assertThat(cluster.condition("stuck", "news", StreamMonitorStatus.READY)
                        .orElseThrow()
                        .getMessage())
                .contains("secret \"origin-credentials\" not found");
        await().atMost(TestCluster.WAIT)
                .until(() -> !cluster.events("stuck", "news", "CreateContainerConfigError")
                        .isEmpty());

        cluster.waiting(pod, "ImagePullBackOff", "Back-off pulling image \"monoscope/worker:nope\"");
        cluster.awaitCondition("stuck", "news", StreamMonitorStatus.READY, "False", "ImagePullBackOff");
        await().atMost(TestCluster.WAIT)
                .until(() ->
                        !cluster.events("stuck", "news", "ImagePullBackOff").isEmpty());
    }
}
