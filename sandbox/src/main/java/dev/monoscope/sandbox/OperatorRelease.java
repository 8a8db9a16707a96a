package dev.monoscope.sandbox;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Monoscope installed the way users install it: the Helm chart ({@code helm/monoscope}) by a real {@code helm
 * install} into namespace {@value #NAMESPACE}, with one operator replica. The chart's Deployment makes the
 * operator's pod, which the sandbox's node runs as the operator process with its ServiceAccount's token: it can do
 * exactly what the chart's RBAC grants.
 */
public final class OperatorRelease {

    public static final String NAMESPACE = "monoscope";
    public static final String RELEASE = "monoscope";
    /** The chart's name for the operator's Deployment and ServiceAccount, from the release's name. */
    public static final String OPERATOR_NAME = RELEASE + "-operator";
    /** The operator container's HTTP port (the chart's): the mosaic, health and metrics. */
    public static final int HTTP_PORT = 8080;
    /** The operator's ServiceAccount as a user, e.g. for {@code kubectl auth can-i --as}. */
    public static final String SERVICE_ACCOUNT_USER = "system:serviceaccount:" + NAMESPACE + ":" + OPERATOR_NAME;

    private static final String SELECTOR_LABEL = "app.kubernetes.io/name";

    private final KubernetesClient client;
    private final LocalPodRunner node;

    private OperatorRelease(KubernetesClient client, LocalPodRunner node) {
        this.client = client;
        this.node = node;
    }

    /**
     * Installs the chart with {@code values} (Helm {@code --set} pairs, over one replica) and waits until the
     * operator's pod is Ready. Helm runs in a child JVM ({@link HelmInstall} says why); its output goes to
     * {@code logDir/helm.log}.
     */
    public static OperatorRelease install(
            Path projectRoot,
            Path kubeconfig,
            KubernetesClient client,
            LocalPodRunner node,
            Map<String, String> values,
            Path logDir,
            Duration timeout) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                HelmInstall.class.getName(),
                projectRoot.resolve("helm/monoscope").toString(),
                RELEASE,
                NAMESPACE,
                kubeconfig.toString(),
                "replicas=1"));
        values.forEach((key, value) -> command.add(key + "=" + value));
        Path log = logDir.resolve("helm.log");
        try {
            Files.createDirectories(logDir);
            Process helm = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!helm.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                ProcessTree.stop(helm.toHandle(), Duration.ofSeconds(2));
                throw new IllegalStateException("helm install took over " + timeout.toSeconds() + " s: see " + log);
            }
            if (helm.exitValue() != 0) {
                throw new IllegalStateException("helm install failed: " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during helm install", e);
        }
        OperatorRelease release = new OperatorRelease(client, node);
        release.awaitReady(timeout);
        return release;
    }

    /** The operator's current pod (the newest, while a deleted one is still stopping). */
    public Optional<Pod> pod() {
        return client.pods().inNamespace(NAMESPACE).withLabel(SELECTOR_LABEL, OPERATOR_NAME).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()));
    }

    /** The operator's process, while it runs. */
    public Optional<ProcessHandle> process() {
        return pod().flatMap(p -> node.process(NAMESPACE, p.getMetadata().getName()));
    }

    /**
     * The mosaic's address: the operator's HTTP port on its pod's loopback address (what {@code kubectl port-forward}
     * gives on a real cluster); empty while the pod has no IP.
     */
    public Optional<String> mosaicUrl() {
        return pod().map(Pod::getStatus)
                .map(s -> s.getPodIP())
                .filter(ip -> !ip.isBlank())
                .map(ip -> "http://" + ip + ":" + HTTP_PORT + "/");
    }

    /** The current operator pod's log. */
    public Path log() {
        return node.log(NAMESPACE, pod().map(p -> p.getMetadata().getName()).orElse("operator"));
    }

    /** Deletes the operator's pod, as an admin or a node drain would; the Deployment makes a new one. */
    public void restart(Duration timeout) {
        Pod old = pod().orElseThrow(() -> new IllegalStateException("no operator pod"));
        client.pods().inNamespace(NAMESPACE).resource(old).delete();
        Await.until(
                "a new operator pod, Ready",
                () -> pod().filter(p -> !p.getMetadata()
                                .getUid()
                                .equals(old.getMetadata().getUid()))
                        .filter(OperatorRelease::ready)
                        .isPresent(),
                timeout);
    }

    void awaitReady(Duration timeout) {
        Await.until(
                "the operator's pod to be Ready (its log: " + node.log(NAMESPACE, "<pod>") + ")",
                () -> pod().filter(OperatorRelease::ready).isPresent(),
                timeout);
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
