package dev.monoscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.monoscope.api.v1alpha1.SourceSpec;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The pod runner with a stand-in container ({@link FakeWorker}): the kubelet's and the garbage collector's jobs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalPodRunnerTest {

    @TempDir
    static Path dir;

    static EmbeddedApiServer api;
    static LocalPodRunner runner;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        api = EmbeddedApiServer.start(0, dir.resolve("kubeconfig"));
        client = api.client();
        List<String> entrypoint = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m",
                "-cp",
                System.getProperty("java.class.path"),
                FakeWorker.class.getName());
        runner = new LocalPodRunner(client, entrypoint, dir).start();
        client.secrets()
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("creds")
                        .endMetadata()
                        .addToStringData("password", "s3cret")
                        .build())
                .create();
    }

    @AfterAll
    static void stop() {
        runner.close();
        api.close();
    }

    @Test
    void runsAPodWithItsEnvironmentAndAddressAndRestartsItWhenItDies() throws Exception {
        client.pods().resource(pod("env-pod", null)).create();

        Pod running = awaitReady("env-pod");
        String ip = running.getStatus().getPodIP();
        assertThat(ip).startsWith("127.0.").isNotEqualTo("127.0.0.1");
        assertThat(running.getSpec().getNodeName()).isEqualTo(LocalPodRunner.NODE_NAME);
        String env = get("http://" + ip + ":8080/env");
        assertThat(env)
                .contains("POD_IP=" + ip)
                .contains("PLAIN=value")
                .contains("PASSWORD=s3cret")
                .contains("args=server");

        long firstPid = runner.process("default", "env-pod").orElseThrow().pid();
        runner.process("default", "env-pod").orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Pod p = client.pods().withName("env-pod").get();
            assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount())
                    .isEqualTo(1);
            assertThat(p.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
            assertThat(p.getStatus().getPodIP()).isEqualTo(ip);
        });
        assertThat(runner.process("default", "env-pod").orElseThrow().pid()).isNotEqualTo(firstPid);

        ProcessHandle second = runner.process("default", "env-pod").orElseThrow();
        client.pods().withName("env-pod").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> !second.isAlive());
        assertThat(runner.process("default", "env-pod")).isEmpty();
    }

    @Test
    void deletesPodsWhoseControllerOwnerIsGone() {
        StreamMonitor owner = new StreamMonitor();
        owner.setMetadata(new ObjectMetaBuilder().withName("owner").build());
        owner.setSpec(new StreamMonitorSpec());
        owner.getSpec().source = new SourceSpec();
        owner.getSpec().source.url = "http://127.0.0.1:1/x.ts";
        owner = client.resources(StreamMonitor.class).resource(owner).create();
        client.pods().resource(pod("owned-pod", owner)).create();
        awaitReady("owned-pod");
        ProcessHandle process = runner.process("default", "owned-pod").orElseThrow();

        client.resources(StreamMonitor.class).withName("owner").delete();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.pods().withName("owned-pod").get() == null && !process.isAlive());
    }

    @Test
    void waitsForAMissingSecret() {
        Pod pod = pod("no-secret-pod", null);
        pod.getSpec()
                .getContainers()
                .get(0)
                .getEnv()
                .get(2)
                .getValueFrom()
                .getSecretKeyRef()
                .setName("absent");
        client.pods().resource(pod).create();
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(client.pods()
                                .withName("no-secret-pod")
                                .get()
                                .getStatus()
                                .getContainerStatuses()
                                .get(0)
                                .getState()
                                .getWaiting()
                                .getReason())
                        .isEqualTo("CreateContainerConfigError"));
        assertThat(runner.process("default", "no-secret-pod")).isEmpty();
        client.pods().withName("no-secret-pod").delete();
    }

    private static Pod awaitReady(String name) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Pod p = client.pods().withName(name).get();
            return p != null
                    && p.getStatus() != null
                    && "Running".equals(p.getStatus().getPhase())
                    && p.getStatus().getConditions().stream()
                            .anyMatch(c ->
                                    c.getType().equals("Ready") && c.getStatus().equals("True"));
        });
        return client.pods().withName(name).get();
    }

    private static Pod pod(String name, StreamMonitor owner) {
        PodBuilder builder = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("app.kubernetes.io/name", "monoscope-worker")
                .endMetadata();
        if (owner != null) {
            builder.editMetadata()
                    .addNewOwnerReference()
                    .withApiVersion("monoscope.dev/v1alpha1")
                    .withKind("StreamMonitor")
                    .withName(owner.getMetadata().getName())
                    .withUid(owner.getMetadata().getUid())
                    .withController(true)
                    .endOwnerReference()
                    .endMetadata();
        }
        return builder.withNewSpec()
                .addNewContainer()
                .withName("worker")
                .withImage("monoscope-worker")
                .withArgs("server")
                .addNewEnv()
                .withName("PLAIN")
                .withValue("value")
                .endEnv()
                .addNewEnv()
                .withName("POD_IP")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("status.podIP")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("PASSWORD")
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName("creds")
                .withKey("password")
                .endSecretKeyRef()
                .endValueFrom()
                .endEnv()
                .addNewPort()
                .withName("http")
                .withContainerPort(8080)
                .endPort()
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/q/health/ready")
                .withPort(new IntOrString("http"))
                .endHttpGet()
                .withPeriodSeconds(5)
                .endReadinessProbe()
                .withNewLivenessProbe()
                .withNewHttpGet()
                .withPath("/q/health/live")
                .withPort(new IntOrString(8080))
                .endHttpGet()
                .endLivenessProbe()
                .endContainer()
                .endSpec()
                .build();
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
