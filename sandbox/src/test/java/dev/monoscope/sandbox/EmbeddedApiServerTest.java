package dev.monoscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.monoscope.api.v1alpha1.SourceSpec;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorSpec;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real kubectl against the embedded API: discovery, get, apply, patch, delete of StreamMonitors. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedApiServerTest {

    @TempDir
    static Path dir;

    static EmbeddedApiServer api;
    static Path kubeconfig;

    @BeforeAll
    static void start() {
        kubeconfig = dir.resolve("kubeconfig");
        api = EmbeddedApiServer.start(0, kubeconfig);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void servesTheCrdToFabric8Clients() {
        assertThat(api.client()
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName("streammonitors.monoscope.dev")
                        .get())
                .isNotNull();
        assertThat(api.client().resources(StreamMonitor.class).list().getItems())
                .isEmpty();
    }

    @Test
    void mergePatchesReplaceListsAndStatusWritesWithAQueryStringCount() throws Exception {
        StreamMonitor monitor = new StreamMonitor();
        monitor.getMetadata().setName("patched");
        monitor.setSpec(new StreamMonitorSpec());
        monitor.getSpec().source = new SourceSpec();
        monitor.getSpec().source.url = "http://127.0.0.1:1/x.ts";
        monitor.getSpec().source.audioTracks = List.of(1, 2);
        var sms = api.client().resources(StreamMonitor.class);
        sms.resource(monitor).create();

        sms.withName("patched")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"source\":{\"audioTracks\":[3]}}}");
        assertThat(sms.withName("patched").get().getSpec().source.audioTracks).containsExactly(3);

        StreamMonitor withStatus = sms.withName("patched").get();
        withStatus.getStatus().activeDefectSummary = "black";
        withStatus.getMetadata().setResourceVersion(null);
        String url = api.url() + "/apis/monoscope.dev/v1alpha1/namespaces/default/streammonitors/patched/status"
                + "?fieldManager=sandbox-test";
        int code = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(Serialization.asJson(withStatus)))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertThat(code).isEqualTo(200);
        assertThat(sms.withName("patched").get().getStatus().activeDefectSummary)
                .isEqualTo("black");
        sms.withName("patched").delete();
    }

    @Test
    void listsHonourFieldSelectors() {
        for (String name : List.of("one", "two")) {
            api.client()
                    .v1()
                    .events()
                    .resource(new EventBuilder()
                            .withNewMetadata()
                            .withName("ev-" + name)
                            .endMetadata()
                            .withNewInvolvedObject()
                            .withKind("StreamMonitor")
                            .withName(name)
                            .withNamespace("default")
                            .endInvolvedObject()
                            .withReason("BlackVideo")
                            .build())
                    .create();
        }
        assertThat(api.client()
                        .v1()
                        .events()
                        .withField("involvedObject.name", "two")
                        .withField("involvedObject.kind", "StreamMonitor")
                        .list()
                        .getItems())
                .extracting(e -> e.getMetadata().getName())
                .containsExactly("ev-two");
        assertThat(api.client()
                        .v1()
                        .events()
                        .withoutField("involvedObject.name", "two")
                        .list()
                        .getItems())
                .extracting(e -> e.getMetadata().getName())
                .containsExactly("ev-one");
    }

    @Test
    void kubectlGetsAppliesPatchesAndDeletesStreamMonitors() throws Exception {
        assumeTrue(Kubectl.available(), "no kubectl on the PATH");
        Path manifest = dir.resolve("sm.yaml");
        Files.writeString(manifest, """
                apiVersion: monoscope.dev/v1alpha1
                kind: StreamMonitor
                metadata:
                  name: kubectl-test
                spec:
                  source:
                    url: http://127.0.0.1:1/live.ts
                """);
        Kubectl kubectl = new Kubectl(kubeconfig);

        assertThat(kubectl.run("apply", "--validate=false", "-f", manifest.toString())
                        .output())
                .contains("streammonitor.monoscope.dev/kubectl-test created");
        assertThat(kubectl.run("get", "sm").output()).contains("kubectl-test");
        assertThat(kubectl.run("get", "streammonitors", "kubectl-test", "-o", "jsonpath={.spec.source.url}")
                        .output())
                .isEqualTo("http://127.0.0.1:1/live.ts");

        assertThat(kubectl.run("patch", "sm", "kubectl-test", "--type=merge", "-p", "{\"spec\":{\"replicas\":2}}")
                        .exit())
                .isZero();
        assertThat(api.client()
                        .resources(StreamMonitor.class)
                        .withName("kubectl-test")
                        .get()
                        .getSpec()
                        .replicas)
                .isEqualTo(2);

        Files.writeString(manifest, Files.readString(manifest) + "  decoder: cpu\n");
        assertThat(kubectl.run("apply", "--validate=false", "-f", manifest.toString())
                        .output())
                .contains("configured");
        assertThat(api.client()
                        .resources(StreamMonitor.class)
                        .withName("kubectl-test")
                        .get()
                        .getSpec()
                        .decoder)
                .isEqualTo("cpu");

        assertThat(kubectl.run("get", "pods").exit()).isZero();
        assertThat(kubectl.run("delete", "sm", "kubectl-test").output()).contains("deleted");
        assertThat(api.client()
                        .resources(StreamMonitor.class)
                        .withName("kubectl-test")
                        .get())
                .isNull();
    }
}
