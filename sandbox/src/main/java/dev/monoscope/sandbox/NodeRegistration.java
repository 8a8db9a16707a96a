package dev.monoscope.sandbox;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox's Node in the API, and the scheduler's job for it: a pending pod whose resource requests fit in
 * what the node has left is bound to it; one that does not fit stays Pending with {@code PodScheduled=False},
 * reason {@code Unschedulable}, as the scheduler says. The node advertises a generous CPU and memory capacity (its
 * processes share this machine) and, when asked, GPUs. No node lifecycle controller runs, so the node's Ready
 * condition is written once and needs no heartbeat.
 */
final class NodeRegistration {

    static final String GPU_RESOURCE = "nvidia.com/gpu";
    private static final Set<String> FINISHED_PHASES = Set.of("Succeeded", "Failed");

    private final KubernetesClient client;
    private final String name;
    private final Map<String, Quantity> allocatable = new LinkedHashMap<>();
    private final Map<String, String> unschedulableWritten = new HashMap<>();

    NodeRegistration(KubernetesClient client, String name, int gpus) {
        this.client = client;
        this.name = name;
        allocatable.put("cpu", new Quantity("32"));
        allocatable.put("memory", new Quantity("64Gi"));
        allocatable.put("pods", new Quantity("110"));
        allocatable.put("ephemeral-storage", new Quantity("100Gi"));
        if (gpus > 0) {
            allocatable.put(GPU_RESOURCE, new Quantity(String.valueOf(gpus)));
        }
    }

    /** Creates the Node (or takes over one of the same name) and writes its status: Ready, with its capacity. */
    void register() {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Node node = new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("kubernetes.io/hostname", name)
                .addToLabels("kubernetes.io/os", "linux")
                .addToLabels("kubernetes.io/arch", "amd64")
                .endMetadata()
                .withNewStatus()
                .withCapacity(allocatable)
                .withAllocatable(allocatable)
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .withReason("SandboxNodeReady")
                .withMessage("the sandbox's node agent runs pods as local processes")
                .withLastHeartbeatTime(now)
                .withLastTransitionTime(now)
                .endCondition()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress("127.0.0.1")
                .endAddress()
                .addNewAddress()
                .withType("Hostname")
                .withAddress(name)
                .endAddress()
                .withNewNodeInfo()
                .withArchitecture("amd64")
                .withOperatingSystem("linux")
                .withKubeletVersion("sandbox")
                .withContainerRuntimeVersion("sandbox://local-processes")
                .withBootID("")
                .withKernelVersion(System.getProperty("os.version"))
                .withKubeProxyVersion("")
                .withMachineID("")
                .withOsImage(System.getProperty("os.name"))
                .withSystemUUID("")
                .endNodeInfo()
                .endStatus()
                .build();
        Node existing = client.nodes().withName(name).get();
        Node stored = existing == null ? client.nodes().resource(node).create() : existing;
        stored.setStatus(node.getStatus());
        client.nodes().resource(stored).updateStatus();
    }

    /** Binds {@code pod} to the node if it fits beside the pods already bound, else says why it is Pending. */
    void schedule(Pod pod, List<Pod> bound) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String missing = insufficient(pod, bound);
        if (missing == null) {
            Binding binding = new BindingBuilder()
                    .withNewMetadata()
                    .withName(pod.getMetadata().getName())
                    .withUid(pod.getMetadata().getUid())
                    .endMetadata()
                    .withNewTarget()
                    .withKind("Node")
                    .withApiVersion("v1")
                    .withName(name)
                    .endTarget()
                    .build();
            client.bindings()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .resource(binding)
                    .create();
            unschedulableWritten.remove(pod.getMetadata().getUid());
            return;
        }
        String message = "0/1 nodes are available: 1 Insufficient " + missing + ".";
        if (message.equals(unschedulableWritten.get(pod.getMetadata().getUid()))) {
            return;
        }
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        pod.setStatus(new PodStatusBuilder(pod.getStatus())
                .withPhase("Pending")
                .withConditions(new PodConditionBuilder()
                        .withType("PodScheduled")
                        .withStatus("False")
                        .withReason("Unschedulable")
                        .withMessage(message)
                        .withLastTransitionTime(now)
                        .build())
                .build());
        client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .resource(pod)
                .updateStatus();
        unschedulableWritten.put(pod.getMetadata().getUid(), message);
    }

    /** The first resource the pod requests more of than the node has left, or null when it fits. */
    private String insufficient(Pod pod, List<Pod> bound) {
        Map<String, BigDecimal> used = new HashMap<>();
        for (Pod other : bound) {
            if (other.getStatus() == null
                    || !FINISHED_PHASES.contains(other.getStatus().getPhase())) {
                requests(other).forEach((resource, amount) -> used.merge(resource, amount, BigDecimal::add));
            }
        }
        used.merge("pods", BigDecimal.valueOf(bound.size()), BigDecimal::add);
        Map<String, BigDecimal> wanted = requests(pod);
        wanted.merge("pods", BigDecimal.ONE, BigDecimal::add);
        for (var request : wanted.entrySet()) {
            Quantity has = allocatable.get(request.getKey());
            BigDecimal left = has == null
                    ? BigDecimal.ZERO
                    : has.getNumericalAmount().subtract(used.getOrDefault(request.getKey(), BigDecimal.ZERO));
            if (request.getValue().compareTo(left) > 0) {
                return request.getKey();
            }
        }
        return null;
    }

    /** A pod's resource requests, summed over its containers (limits stand for requests that are not given). */
    private static Map<String, BigDecimal> requests(Pod pod) {
        Map<String, BigDecimal> sum = new HashMap<>();
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getResources() == null) {
                continue;
            }
            Map<String, Quantity> values = new HashMap<>();
            if (c.getResources().getLimits() != null) {
                values.putAll(c.getResources().getLimits());
            }
            if (c.getResources().getRequests() != null) {
                values.putAll(c.getResources().getRequests());
            }
            values.forEach((resource, q) -> sum.merge(resource, q.getNumericalAmount(), BigDecimal::add));
        }
        return sum;
    }
}
