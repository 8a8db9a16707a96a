package dev.monoscope.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox's node agent: it registers a Node ({@value #NODE_NAME}), binds the pending pods that fit on it (those
 * that do not stay Pending, Unschedulable), and plays the kubelet for the pods bound to it: each pod's first
 * container runs as a local process (the {@link ImageTable}'s command for its image plus the container's
 * {@code args}) with the pod's environment, its ServiceAccount token and its own loopback address (127.0.0.2,
 * 127.0.0.3, …) as {@code status.podIP}. It reports phase, readiness (startup and readiness probes), restarts (per
 * {@code restartPolicy}, with back-off) through the pods' status subresource, and finishes a pod's deletion once
 * its process has stopped within the grace period. Processes log to {@code <stateDir>/logs/<ns>.<pod>.log};
 * volumes are directories under {@code <stateDir>/volumes/}. Every process it started is stopped on
 * {@link #close()} or, failing that, at JVM exit.
 */
public final class LocalPodRunner implements AutoCloseable {

    public static final String NODE_NAME = "sandbox";
    static final Duration TICK = Duration.ofMillis(500);

    private final KubernetesClient client;
    private final ImageTable images;
    private final NodeRegistration node;
    private final Map<String, String> clusterEnvironment;
    private final Path logDir;
    private final Path volumesDir;
    private final PidFiles pids;
    private final PodEnvironment environment;
    private final Map<String, PodProcess> pods = new ConcurrentHashMap<>();
    private final Set<String> finishing = ConcurrentHashMap.newKeySet();
    private final Map<String, String> writtenStatus = new HashMap<>();
    private final ScheduledExecutorService loop;
    private final ExecutorService stopper;
    private final Thread shutdownHook;
    private int nextAddress;
    private volatile String onlyNamespace;

    /**
     * @param apiPort the API server's port on 127.0.0.1, which every container is told through
     *                {@code KUBERNETES_SERVICE_HOST/PORT}
     * @param gpus    GPUs the node advertises ({@code nvidia.com/gpu}), 0 for none
     */
    public LocalPodRunner(KubernetesClient client, ImageTable images, Path stateDir, int apiPort, int gpus) {
        this.client = client;
        this.images = images;
        this.node = new NodeRegistration(client, NODE_NAME, gpus);
        this.clusterEnvironment = Map.of(
                "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBERNETES_SERVICE_PORT", String.valueOf(apiPort),
                "KUBERNETES_SERVICE_PORT_HTTPS", String.valueOf(apiPort));
        this.logDir = stateDir.resolve("logs");
        this.volumesDir = stateDir.resolve("volumes");
        this.pids = new PidFiles(stateDir);
        this.environment = new PodEnvironment(client);
        this.loop = Executors.newSingleThreadScheduledExecutor(daemon("pod-runner"));
        this.stopper = Executors.newCachedThreadPool(daemon("pod-stopper"));
        this.shutdownHook = new Thread(this::close, "pod-runner-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Runs only the pods of one namespace, leaving the others to someone else (the operator bench plays the node
     * for its thousand stand-in workers itself). Call before {@link #start()}.
     */
    public LocalPodRunner onlyIn(String namespace) {
        this.onlyNamespace = namespace;
        return this;
    }

    /** Registers the node and starts running pods: the node polls the API twice a second. */
    public LocalPodRunner start() {
        node.register();
        loop.scheduleWithFixedDelay(this::tickSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The live process of a pod's container, if it runs now. */
    public Optional<ProcessHandle> process(String namespace, String pod) {
        PodProcess p = pods.get(key(namespace, pod));
        return p == null ? Optional.empty() : p.process();
    }

    /** Every live container process, by {@code namespace/pod}. */
    public Map<String, ProcessHandle> processes() {
        Map<String, ProcessHandle> live = new HashMap<>();
        pods.forEach((key, p) -> p.process().ifPresent(h -> live.put(key, h)));
        return live;
    }

    /** Where a pod's container logs. */
    public Path log(String namespace, String pod) {
        return logDir.resolve(namespace + "." + pod + ".log");
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException | LinkageError e) {
            // the API may be restarting: try again on the next tick (an exception would end the schedule)
            System.err.println("pod runner: " + e);
        }
    }

    private void tick() {
        Instant now = Instant.now();
        List<Pod> listed = onlyNamespace == null
                ? client.pods().inAnyNamespace().list().getItems()
                : client.pods().inNamespace(onlyNamespace).list().getItems();
        Set<String> seen = new HashSet<>();
        List<Pod> bound = listed.stream()
                .filter(p -> NODE_NAME.equals(p.getSpec().getNodeName()))
                .toList();
        for (Pod pod : listed) {
            if (pod.getSpec().getNodeName() == null) {
                node.schedule(pod, bound);
                continue;
            }
            if (!NODE_NAME.equals(pod.getSpec().getNodeName())) {
                continue;
            }
            String key = key(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            seen.add(key);
            PodProcess running = pods.get(key);
            if (running != null && !running.uid().equals(pod.getMetadata().getUid())) {
                stopLater(key, null); // deleted and created again under the same name between two ticks
                running = null;
            }
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                if (running != null) {
                    running.update(pod);
                }
                stopLater(key, pod);
                continue;
            }
            if (running == null) {
                running = new PodProcess(
                        pod,
                        nextAddress(pod),
                        NODE_NAME,
                        images.entrypoint(pod.getSpec().getContainers().get(0).getImage()),
                        clusterEnvironment,
                        environment,
                        new PodVolumes(client, volumesDir, pod),
                        logDir,
                        pids);
                pods.put(key, running);
            }
            running.update(pod);
            writeStatus(pod, running.tick(now));
        }
        for (String key : new ArrayList<>(pods.keySet())) {
            if (!seen.contains(key)) {
                stopLater(key, null);
            }
        }
    }

    private void writeStatus(Pod pod, PodStatus status) {
        String key = key(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        if (pod.getStatus() != null) {
            status.setQosClass(pod.getStatus().getQosClass()); // the API server's, immutable
        }
        String json = Serialization.asJson(status);
        if (json.equals(writtenStatus.get(key))) {
            return; // unchanged: a node at rest writes nothing
        }
        Pod withStatus = new PodBuilder(pod).withStatus(status).build();
        client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .resource(withStatus)
                .updateStatus();
        writtenStatus.put(key, json);
    }

    /**
     * Stops a pod's process in the background; for a pod being deleted ({@code deleting} not null), then finishes
     * the deletion, as the kubelet does once the containers have stopped.
     */
    private void stopLater(String key, Pod deleting) {
        PodProcess gone = pods.remove(key);
        writtenStatus.remove(key);
        if (gone == null && deleting == null) {
            return;
        }
        if (!finishing.add(key)) {
            return; // already stopping
        }
        stopper.execute(() -> {
            try {
                if (gone != null) {
                    gone.stop(gone.gracePeriod());
                    gone.deleteVolumes();
                }
                if (deleting != null) {
                    client.pods()
                            .inNamespace(deleting.getMetadata().getNamespace())
                            .withName(deleting.getMetadata().getName())
                            .withGracePeriod(0)
                            .delete();
                }
            } catch (RuntimeException e) {
                System.err.println("pod runner: cannot finish deleting " + key + ": " + e);
            } finally {
                finishing.remove(key);
            }
        });
    }

    /** The next loopback address whose container ports are free (another sandbox may hold the first ones). */
    private String nextAddress(Pod pod) {
        while (true) {
            int n = nextAddress++;
            String ip = "127.0." + (n / 253) + "." + (n % 253 + 2);
            if (portsFree(ip, pod.getSpec().getContainers().get(0))) {
                return ip;
            }
        }
    }

    private static boolean portsFree(String ip, Container container) {
        List<Integer> ports = container.getPorts() == null
                ? List.of()
                : container.getPorts().stream()
                        .map(ContainerPort::getContainerPort)
                        .toList();
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private void stopAll() {
        List<Thread> stopping = new ArrayList<>();
        for (String key : new ArrayList<>(pods.keySet())) {
            PodProcess p = pods.remove(key);
            if (p != null) {
                Thread t = new Thread(
                        () -> {
                            p.stop(p.gracePeriod());
                            p.deleteVolumes();
                        },
                        "stop-" + key);
                t.start();
                stopping.add(t);
            }
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops the node and every process it started; blocks until they are gone. */
    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopAll();
        stopper.shutdown();
        try {
            stopper.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
