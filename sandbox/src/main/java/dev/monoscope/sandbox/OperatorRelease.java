package dev.monoscope.sandbox;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

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
     * operator's pod is Ready.
     */
    public static OperatorRelease install(
            Path projectRoot,
            Path kubeconfig,
            KubernetesClient client,
            LocalPodRunner node,
            Map<String, String> values,
            Duration timeout) {
        InstallCommand install = new Helm(projectRoot.resolve("helm/monoscope"))
                .install()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .createNamespace()
                .withKubeConfig(kubeconfig)
                .set("replicas", 1);
        for (var value : values.entrySet()) {
            install = install.set(value.getKey(), value.getValue());
        }
        install.call();
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
