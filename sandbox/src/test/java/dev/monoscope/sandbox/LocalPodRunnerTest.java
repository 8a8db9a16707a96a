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
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent on the real control plane, with a stand-in container image ({@link FakeWorker}): the scheduler's
 * and the kubelet's jobs, and the garbage collector's through kube-controller-manager.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalPodRunnerTest {

    static final String FAKE_IMAGE = "example.org/fake-worker";
    static final String CRD_RESOURCE = "META-INF/fabric8/streammonitors.monoscope.dev-v1.yml";

    @TempDir
    static Path dir;

    static ControlPlane controlPlane;
    static LocalPodRunner runner;
    static KubernetesClient client;

    @BeforeAll
    @Timeout(value = 45, unit = TimeUnit.MINUTES) // the first run on a machine builds the control plane
    static void start() {
        Path root = Path.of(System.getProperty("monoscope.root", ".."))
                .toAbsolutePath()
                .normalize();
        controlPlane = ControlPlane.start(ControlPlaneBinaries.ensureBuilt(root), dir, 0);
        client = controlPlane.client();
        installCrd();
        List<String> entrypoint = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m",
                "-cp",
                System.getProperty("java.class.path"),
                FakeWorker.class.getName());
        ImageTable images = new ImageTable(Map.of(FAKE_IMAGE, podIp -> entrypoint));
        runner = new LocalPodRunner(client, images, dir, controlPlane.apiPort(), 1).start();
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
        if (runner != null) {
            runner.close();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    static void installCrd() {
        try (InputStream yaml = LocalPodRunnerTest.class.getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
            CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd)
                    .create();
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd.getMetadata().getName())
                    .waitUntilCondition(
                            c -> c.getStatus() != null
                                    && c.getStatus().getConditions() != null
                                    && c.getStatus().getConditions().stream()
                                            .anyMatch(cond -> "Established".equals(cond.getType())
                                                    && "True".equals(cond.getStatus())),
                            30,
                            TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                .contains("KUBERNETES_SERVICE_HOST=127.0.0.1")
                .contains("KUBERNETES_SERVICE_PORT=" + controlPlane.apiPort())
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
        // the node stops the process, then finishes the deletion: the pod is gone from the API
        await().atMost(Duration.ofSeconds(15))
                .until(() ->
                        !second.isAlive() && client.pods().withName("env-pod").get() == null);
        assertThat(runner.process("default", "env-pod")).isEmpty();
    }

    @Test
    void givesAPodItsServiceAccountTokenAndTheApiAddress() throws Exception {
        Pod pod = pod("token-pod", null);
        pod.getSpec().setAutomountServiceAccountToken(true);
        client.pods().resource(pod).create();

        Pod running = awaitReady("token-pod");
        String env = get("http://" + running.getStatus().getPodIP() + ":8080/env");
        String tokenFile = env.replaceAll(".*KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN=([^,}]+).*", "$1");
        assertThat(Path.of(tokenFile)).isRegularFile();
        String token = Files.readString(Path.of(tokenFile));
        // the API server takes the token as the pod's ServiceAccount
        TokenReview review = client.authentication()
                .v1()
                .tokenReviews()
                .create(new TokenReviewBuilder()
                        .withNewSpec()
                        .withToken(token)
                        .endSpec()
                        .build());
        assertThat(review.getStatus().getAuthenticated()).isTrue();
        assertThat(review.getStatus().getUser().getUsername()).isEqualTo("system:serviceaccount:default:default");
        client.pods().withName("token-pod").delete();
    }

    @Test
    void anImageTheNodeDoesNotHaveIsErrImagePull() {
        Pod pod = pod("unknown-image-pod", null);
        pod.getSpec().getContainers().get(0).setImage("example.org/not-here:1.0");
        client.pods().resource(pod).create();
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .untilAsserted(
                        () -> assertThat(waitingReason("unknown-image-pod")).isEqualTo("ErrImagePull"));
        assertThat(runner.process("default", "unknown-image-pod")).isEmpty();
        client.pods().withName("unknown-image-pod").delete();
    }

    @Test
    void aPodAskingForMoreGpusThanTheNodeHasStaysPendingUnschedulable() {
        Pod pod = pod("gpu-pod", null);
        pod.getSpec()
                .getContainers()
                .get(0)
                .setResources(new ResourceRequirementsBuilder()
                        .addToLimits("nvidia.com/gpu", new Quantity("2"))
                        .build());
        client.pods().resource(pod).create();
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> {
            Pod p = client.pods().withName("gpu-pod").get();
            assertThat(p.getSpec().getNodeName()).isNull();
            assertThat(p.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("PodScheduled");
                assertThat(c.getReason()).isEqualTo("Unschedulable");
                assertThat(c.getMessage()).contains("nvidia.com/gpu");
            });
        });
        client.pods().withName("gpu-pod").delete();
    }

    @Test
    void theGarbageCollectorDeletesPodsWhoseOwnerIsGone() {
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
        // the garbage collector watches a resource type from its first discovery sync after the CRD came: <= 30 s
        await().atMost(Duration.ofSeconds(60))
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
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .untilAsserted(
                        () -> assertThat(waitingReason("no-secret-pod")).isEqualTo("CreateContainerConfigError"));
        assertThat(runner.process("default", "no-secret-pod")).isEmpty();
        client.pods().withName("no-secret-pod").delete();
    }

    private static String waitingReason(String pod) {
        return client.pods()
                .withName(pod)
                .get()
                .getStatus()
                .getContainerStatuses()
                .get(0)
                .getState()
                .getWaiting()
                .getReason();
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
                    .withBlockOwnerDeletion(true)
                    .endOwnerReference()
                    .endMetadata();
        }
        return builder.withNewSpec()
                .withAutomountServiceAccountToken(false)
                .addNewContainer()
                .withName("worker")
                .withImage(FAKE_IMAGE + ":1.0")
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
