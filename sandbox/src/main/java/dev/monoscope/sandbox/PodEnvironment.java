package dev.monoscope.sandbox;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet would give it: plain values, the downward API ({@code fieldRef},
 * {@code resourceFieldRef}) and keys of Secrets and ConfigMaps read from the API. A local process has no container
 * filesystem, so volume mount paths inside plain values (e.g. {@code -Djava.io.tmpdir=/tmp}) are rewritten to the
 * pod's local volume directories.
 */
final class PodEnvironment {

    /** The pod cannot start yet, as the kubelet's CreateContainerConfigError. */
    static final class ConfigError extends Exception {
        ConfigError(String message) {
            super(message);
        }
    }

    private final KubernetesClient client;

    PodEnvironment(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param mounts container mount path → the local directory that stands for the volume
     */
    Map<String, String> resolve(Pod pod, Container container, String podIp, String nodeName, Map<String, String> mounts)
            throws ConfigError {
        Map<String, String> env = new LinkedHashMap<>();
        String namespace = pod.getMetadata().getNamespace();
        if (container.getEnv() == null) {
            return env;
        }
        for (EnvVar var : container.getEnv()) {
            EnvVarSource from = var.getValueFrom();
            if (from == null) {
                env.put(var.getName(), remount(var.getValue() == null ? "" : var.getValue(), mounts));
            } else if (from.getFieldRef() != null) {
                env.put(var.getName(), field(pod, from.getFieldRef().getFieldPath(), podIp, nodeName));
            } else if (from.getSecretKeyRef() != null) {
                var ref = from.getSecretKeyRef();
                String value = secretValue(namespace, ref.getName(), ref.getKey());
                if (value != null) {
                    env.put(var.getName(), value);
                } else if (!Boolean.TRUE.equals(ref.getOptional())) {
                    throw new ConfigError(
                            "secret \"" + ref.getName() + "\" or its key \"" + ref.getKey() + "\" not found");
                }
            } else if (from.getConfigMapKeyRef() != null) {
                var ref = from.getConfigMapKeyRef();
                ConfigMap map = client.configMaps()
                        .inNamespace(namespace)
                        .withName(ref.getName())
                        .get();
                String value = map == null || map.getData() == null
                        ? null
                        : map.getData().get(ref.getKey());
                if (value != null) {
                    env.put(var.getName(), value);
                } else if (!Boolean.TRUE.equals(ref.getOptional())) {
                    throw new ConfigError(
                            "configmap \"" + ref.getName() + "\" or its key \"" + ref.getKey() + "\" not found");
                }
            } else if (from.getResourceFieldRef() != null) {
                env.put(
                        var.getName(),
                        resource(
                                container,
                                from.getResourceFieldRef().getResource(),
                                from.getResourceFieldRef().getDivisor()));
            }
        }
        return env;
    }

    private static String remount(String value, Map<String, String> mounts) {
        String result = value;
        for (var mount : mounts.entrySet()) {
            // whole path components only: /tmp and /tmp/x, not /tmpfoo
            result = result.replaceAll(
                    "(?<![\\w/.-])" + Pattern.quote(mount.getKey()) + "(?=/|\\s|$|\"|')",
                    Matcher.quoteReplacement(mount.getValue()));
        }
        return result;
    }

    private String secretValue(String namespace, String name, String key) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return null;
        }
        // the API server folds stringData into data
        return secret.getData() == null || !secret.getData().containsKey(key)
                ? null
                : new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static String field(Pod pod, String path, String podIp, String nodeName) throws ConfigError {
        return switch (path) {
            case "status.podIP" -> podIp;
            case "status.podIPs" -> podIp;
            case "status.hostIP" -> "127.0.0.1";
            case "spec.nodeName" -> nodeName;
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            case "metadata.uid" -> pod.getMetadata().getUid();
            case "spec.serviceAccountName" -> String.valueOf(pod.getSpec().getServiceAccountName());
            default -> {
                if (path.startsWith("metadata.labels['") && pod.getMetadata().getLabels() != null) {
                    yield pod.getMetadata().getLabels().getOrDefault(path.substring(17, path.length() - 2), "");
                }
                if (path.startsWith("metadata.annotations['")
                        && pod.getMetadata().getAnnotations() != null) {
                    yield pod.getMetadata().getAnnotations().getOrDefault(path.substring(22, path.length() - 2), "");
                }
                throw new ConfigError("unsupported fieldRef " + path);
            }
        };
    }

    /** limits.cpu etc., rounded up to the divisor (default 1) as the kubelet does; the node's cores when unset. */
    private static String resource(Container container, String resource, Quantity divisor) {
        String[] kindAndName = resource.split("\\.", 2);
        var resources = container.getResources();
        Map<String, Quantity> values = resources == null
                ? null
                : kindAndName[0].equals("limits") ? resources.getLimits() : resources.getRequests();
        Quantity quantity = values == null ? null : values.get(kindAndName[1]);
        if (quantity == null) {
            return kindAndName[1].equals("cpu")
                    ? String.valueOf(Runtime.getRuntime().availableProcessors())
                    : "0";
        }
        BigDecimal amount = quantity.getNumericalAmount();
        BigDecimal by = divisor == null ? BigDecimal.ONE : divisor.getNumericalAmount();
        return amount.divide(by, 0, RoundingMode.CEILING).toPlainString();
    }
}
