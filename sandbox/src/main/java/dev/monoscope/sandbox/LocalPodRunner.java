package dev.monoscope.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.File;
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
 * The sandbox's node: it plays the kubelet for every Pod in the API, running each pod's first container as a local
 * process (the given entrypoint plus the container's {@code args}) with the pod's environment and its own loopback
 * address (127.0.0.2, 127.0.0.3, …) as {@code status.podIP}. It reports phase, readiness (from the readiness
 * probe), restarts, restarts crashed processes per {@code restartPolicy} with back-off, stops the processes of
 * deleted pods, and deletes pods whose controller owner is gone. Processes log to
 * {@code <stateDir>/logs/<ns>.<pod>.log}; emptyDir volumes are directories under {@code <stateDir>/volumes/}.
 * Every process it started is stopped on {@link #close()} or, failing that, at JVM exit.
 */
public final class LocalPodRunner implements AutoCloseable {

    public static final String NODE_NAME = "sandbox";
    static final Duration TICK = Duration.ofMillis(500);

    private final KubernetesClient client;
    private final List<String> entrypoint;
    private final Path logDir;
    private final Path volumesDir;
    private final PidFiles pids;
    private final PodEnvironment environment;
    private final GarbageCollector garbageCollector;
    private final Map<String, PodProcess> pods = new ConcurrentHashMap<>();
    private final Map<String, String> writtenStatus = new HashMap<>();
    private final ScheduledExecutorService loop;
    private final ExecutorService stopper;
    private final Thread shutdownHook;
    private int nextAddress;

    /**
     * @param entrypoint the command that stands for the container image's entrypoint; the container's args are
     *                   appended (see {@link #workerEntrypoint(Path)})
     */
    public LocalPodRunner(KubernetesClient client, List<String> entrypoint, Path stateDir) {
        this.client = client;
        this.entrypoint = List.copyOf(entrypoint);
        this.logDir = stateDir.resolve("logs");
        this.volumesDir = stateDir.resolve("volumes");
        this.pids = new PidFiles(stateDir);
        this.environment = new PodEnvironment(client);
        this.garbageCollector = new GarbageCollector(client);
        this.loop = Executors.newSingleThreadScheduledExecutor(daemon("pod-runner"));
        this.stopper = Executors.newCachedThreadPool(daemon("pod-stopper"));
        this.shutdownHook = new Thread(this::close, "pod-runner-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The worker image's entrypoint on this machine: the built worker jar, with the JVM options of bin/monoscope. */
    public static List<String> workerEntrypoint(Path projectRoot) {
        Path jar = projectRoot.resolve("worker/target/monoscope-worker.jar");
        if (!jar.toFile().isFile()) {
            throw new IllegalStateException(jar + " is missing: build the worker first (make build)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command =
                new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xms32m", "-Xmx256m", "-Xlog:cds*=off"));
        // the class archive bin/monoscope records after a build; the JVM itself refuses (silently, cds logging off)
        // one recorded against another jar or lib/
        File archive = projectRoot.resolve("worker/target/monoscope-worker.jsa").toFile();
        if (archive.isFile()) {
            command.add("-XX:SharedArchiveFile=" + archive);
        }
        command.addAll(List.of("-jar", jar.toString()));
        return List.copyOf(command);
    }

    /** Starts running pods: the node polls the API twice a second. */
    public LocalPodRunner start() {
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
        List<Pod> listed = client.pods().inAnyNamespace().list().getItems();
        Set<String> seen = new HashSet<>();
        for (Pod pod : listed) {
            String key = key(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            seen.add(key);
            PodProcess running = pods.get(key);
            if (running != null && !running.uid().equals(pod.getMetadata().getUid())) {
                stopLater(key); // deleted and created again under the same name between two ticks
                running = null;
            }
            if (running == null) {
                running = new PodProcess(
                        pod, nextAddress(pod), NODE_NAME, entrypoint, environment, logDir, volumesDir, pids);
                pods.put(key, running);
                bindToNode(pod);
            }
            running.update(pod);
            writeStatus(pod, running.tick(now));
        }
        for (String key : new ArrayList<>(pods.keySet())) {
            if (!seen.contains(key)) {
                stopLater(key);
            }
        }
        List<HasMetadata> dependents = new ArrayList<>(listed);
        dependents.addAll(client.configMaps().inAnyNamespace().list().getItems());
        dependents.addAll(client.services().inAnyNamespace().list().getItems());
        garbageCollector.collect(dependents);
    }

    private void bindToNode(Pod pod) {
        if (pod.getSpec().getNodeName() == null) {
            client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"nodeName\":\"" + NODE_NAME + "\"}}");
        }
    }

    private void writeStatus(Pod pod, PodStatus status) {
        String key = key(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        String json = Serialization.asJson(status);
        if (json.equals(writtenStatus.get(key)) && json.equals(Serialization.asJson(pod.getStatus()))) {
            return;
        }
        Pod withStatus = new PodBuilder(pod).withStatus(status).build();
        withStatus.getMetadata().setResourceVersion(null);
        client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .resource(withStatus)
                .updateStatus();
        writtenStatus.put(key, json);
    }

    private void stopLater(String key) {
        PodProcess gone = pods.remove(key);
        writtenStatus.remove(key);
        if (gone != null) {
            stopper.execute(() -> {
                gone.stop(gone.gracePeriod());
                gone.deleteVolumes();
            });
        }
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
