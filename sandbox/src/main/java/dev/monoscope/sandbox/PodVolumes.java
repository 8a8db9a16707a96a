package dev.monoscope.sandbox;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pod's volumes as local directories under {@code <stateDir>/volumes/<ns>.<pod>/}: emptyDirs, and projected
 * volumes of ServiceAccount tokens (a TokenRequest bound to the pod, refreshed at 80 % of its life), ConfigMap keys
 * and the pod's namespace — what the API server's ServiceAccount admission mounts at
 * {@value #SERVICE_ACCOUNT_PATH}. A local process cannot see that path, so a container that mounts it is pointed at
 * the local files through the Kubernetes client's environment variables instead. Other volume types are not
 * supported: their mount paths are left as they are.
 */
final class PodVolumes {

    static final String SERVICE_ACCOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    private static final long DEFAULT_TOKEN_SECONDS = 3600;

    private final KubernetesClient client;
    private final Path dir;
    private Instant refreshTokensAt = Instant.MAX;

    PodVolumes(KubernetesClient client, Path volumesDir, Pod pod) {
        this.client = client;
        this.dir = volumesDir.resolve(
                pod.getMetadata().getNamespace() + "." + pod.getMetadata().getName());
    }

    /**
     * Writes the container's volumes and returns its mounts: container path → local directory, longest first (so
     * that rewriting paths in values replaces /a/b before /a).
     */
    Map<String, String> mount(Pod pod, Container container) throws IOException {
        Map<String, String> mounts = new TreeMap<>(Comparator.reverseOrder());
        if (container.getVolumeMounts() == null || pod.getSpec().getVolumes() == null) {
            return mounts;
        }
        refreshTokensAt = Instant.MAX;
        for (VolumeMount mount : container.getVolumeMounts()) {
            Volume volume = pod.getSpec().getVolumes().stream()
                    .filter(v -> v.getName().equals(mount.getName()))
                    .findFirst()
                    .orElse(null);
            if (volume != null && (volume.getEmptyDir() != null || volume.getProjected() != null)) {
                Path local = Files.createDirectories(dir.resolve(volume.getName()));
                if (volume.getProjected() != null) {
                    project(pod, volume, local);
                }
                mounts.put(mount.getMountPath(), local.toAbsolutePath().toString());
            }
        }
        return mounts;
    }

    /** The environment that points the Kubernetes client at the ServiceAccount files, when they are mounted. */
    static Map<String, String> clientEnvironment(Map<String, String> mounts, Pod pod) {
        Map<String, String> env = new LinkedHashMap<>();
        String local = mounts.get(SERVICE_ACCOUNT_PATH);
        if (local != null) {
            env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
            env.put("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", local + "/token");
            env.put("KUBERNETES_CERTS_CA_FILE", local + "/ca.crt");
            env.put("KUBERNETES_NAMESPACE", pod.getMetadata().getNamespace());
        }
        return env;
    }

    /** Writes fresh tokens when the last ones are at 80 % of their life. */
    void refreshTokens(Pod pod, Container container, Instant now) throws IOException {
        if (now.isAfter(refreshTokensAt)) {
            mount(pod, container);
        }
    }

    private void project(Pod pod, Volume volume, Path local) throws IOException {
        for (VolumeProjection source : volume.getProjected().getSources()) {
            if (source.getServiceAccountToken() != null) {
                writeToken(pod, source.getServiceAccountToken(), local);
            }
            if (source.getConfigMap() != null && source.getConfigMap().getItems() != null) {
                ConfigMap map = client.configMaps()
                        .inNamespace(pod.getMetadata().getNamespace())
                        .withName(source.getConfigMap().getName())
                        .get();
                for (KeyToPath item : source.getConfigMap().getItems()) {
                    String value = map == null || map.getData() == null
                            ? null
                            : map.getData().get(item.getKey());
                    if (value == null
                            && !Boolean.TRUE.equals(source.getConfigMap().getOptional())) {
                        throw new IOException(
                                "configmap \"" + source.getConfigMap().getName() + "\" or its key \"" + item.getKey()
                                        + "\" not found");
                    }
                    Files.writeString(local.resolve(item.getPath()), value == null ? "" : value);
                }
            }
            if (source.getDownwardAPI() != null) {
                for (var item : source.getDownwardAPI().getItems()) {
                    if (item.getFieldRef() != null
                            && "metadata.namespace".equals(item.getFieldRef().getFieldPath())) {
                        Files.writeString(
                                local.resolve(item.getPath()), pod.getMetadata().getNamespace());
                    }
                }
            }
        }
    }

    private void writeToken(Pod pod, ServiceAccountTokenProjection projection, Path local) throws IOException {
        long seconds =
                projection.getExpirationSeconds() == null ? DEFAULT_TOKEN_SECONDS : projection.getExpirationSeconds();
        TokenRequest request = new TokenRequestBuilder()
                .withNewSpec()
                .withAudiences(projection.getAudience() == null ? null : java.util.List.of(projection.getAudience()))
                .withExpirationSeconds(seconds)
                .withNewBoundObjectRef()
                .withApiVersion("v1")
                .withKind("Pod")
                .withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid())
                .endBoundObjectRef()
                .endSpec()
                .build();
        TokenRequest issued = client.serviceAccounts()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(serviceAccount(pod))
                .tokenRequest(request);
        Path token = local.resolve(projection.getPath());
        Path partial = local.resolve(projection.getPath() + ".new");
        Files.writeString(partial, issued.getStatus().getToken());
        Files.move(partial, token, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Instant refresh = Instant.now().plus(Duration.ofSeconds(seconds * 8 / 10));
        if (refresh.isBefore(refreshTokensAt)) {
            refreshTokensAt = refresh;
        }
    }

    private static String serviceAccount(Pod pod) {
        String name = pod.getSpec().getServiceAccountName();
        return name == null || name.isEmpty() ? "default" : name;
    }

    /** Deletes the pod's volume directories, once its process has stopped. */
    void delete() {
        try {
            FileTrees.delete(dir);
        } catch (RuntimeException e) {
            // left for the next sandbox's cleanup
        }
    }
}
