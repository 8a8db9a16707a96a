package dev.monoscope.sandbox;

import dev.monoscope.api.v1alpha1.SourceSpec;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorSpec;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: {@code make bench-operator} ({@code -Dbench.operator=true [-Dbench.monitors=1000
 * -Dbench.steady=PT5M]}). The real control plane, the chart's operator run by the node agent as in the sandbox, and
 * {@code bench.monitors} StreamMonitors whose workers are stand-ins ({@link StandInWorkers}: a thousand JVMs do not
 * fit two cores). Prints the time until every StreamMonitor is Ready, the operator's heap (its own metrics), and the
 * writes to streammonitors, pods and events over the steady minutes, as counted by kube-apiserver
 * ({@code apiserver_request_total}).
 */
@EnabledIfSystemProperty(named = "bench.operator", matches = "true")
class OperatorBench {

    static final String NAMESPACE = "bench";
    static final int REPORT_PORT = 18931;
    static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE", "APPLY");
    static final Pattern REQUEST = Pattern.compile("^apiserver_request_total\\{(.*)} (\\S+)$");
    static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void thousandMonitors() throws Exception {
        int count = Integer.getInteger("bench.monitors", 1000);
        Duration steady = Duration.parse(System.getProperty("bench.steady", "PT5M"));
        Path root = Path.of(System.getProperty("monoscope.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path state = root.resolve("sandbox/target/bench");
        ControlPlaneBinaries binaries = ControlPlaneBinaries.ensureBuilt(root);
        new PidFiles(state).stopLeftovers();
        try (ControlPlane plane = ControlPlane.start(binaries, state, 0);
                LocalPodRunner node = new LocalPodRunner(
                                plane.client(), ImageTable.monoscope(root), state, plane.apiPort(), 0)
                        .onlyIn(OperatorRelease.NAMESPACE)
                        .start();
                StandInWorkers workers = new StandInWorkers(plane.client(), NAMESPACE, REPORT_PORT).start()) {
            KubernetesClient client = plane.client();
            OperatorRelease operator = OperatorRelease.install(
                    root,
                    plane.kubeconfig(),
                    client,
                    node,
                    Map.of("extraEnv[0].name", "MONOSCOPE_REPORT_PORT", "extraEnv[0].value", "" + REPORT_PORT),
                    state.resolve("logs"),
                    Duration.ofMinutes(3));
            Kubectl kubectl = new Kubectl(binaries.program("kubectl"), plane.kubeconfig());
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(NAMESPACE)
                            .endMetadata()
                            .build())
                    .create();
            Map<String, Double> beforeCreate = writes(kubectl);
            Map<String, Duration> cpuBefore = CpuTimes.now(state);
            Instant start = Instant.now();
            Duration toReady;
            Duration created;
            try (ReadyWatch ready = new ReadyWatch(client, NAMESPACE).start()) {
                Map<String, Instant> createdAt = createAll(client, count);
                created = Duration.between(start, Instant.now());
                ready.awaitAll(count, Duration.ofMinutes(20));
                toReady = Duration.between(start, ready.lastReady());
                System.out.printf(
                        "%nBENCH phases (median / 95th percentile / max, seconds): StreamMonitor created to its pod"
                                + " created %s; pod created to Running %s; pod Running to StreamMonitor Ready %s%n",
                        Phases.summary(Phases.between(createdAt, workers.createdAt())),
                        Phases.summary(Phases.between(workers.createdAt(), workers.runningAt())),
                        Phases.summary(Phases.between(workers.runningAt(), ready.readyAt())));
                System.out.printf(
                        "BENCH until all were Ready: writes %s; CPU %s%n",
                        difference(writes(kubectl), beforeCreate), CpuTimes.used(cpuBefore, CpuTimes.now(state)));
                System.out.printf(
                        "BENCH Ready per 5 s after the first create: %s%n",
                        Phases.histogram(start, ready.readyAt().values(), Duration.ofSeconds(5)));
            }
            TimeUnit.SECONDS.sleep(15); // the last coalesced status writes land
            long heapReady = operatorHeap(operator);
            Map<String, Double> before = writes(kubectl);
            TimeUnit.MILLISECONDS.sleep(steady.toMillis());
            Map<String, Double> during = difference(writes(kubectl), before);
            long heapAfter = operatorHeap(operator);
            System.out.printf(
                    "%nBENCH %d StreamMonitors on kube-apiserver: created in %.1f s (8 at a time), all Ready after %.1f s;"
                            + " operator heap %d MiB when Ready, %d MiB after steady; writes in %s at rest: %.0f %s;"
                            + " stand-in pods %d%n",
                    count,
                    created.toMillis() / 1000.0,
                    toReady.toMillis() / 1000.0,
                    heapReady >> 20,
                    heapAfter >> 20,
                    steady,
                    during.values().stream().mapToDouble(Double::doubleValue).sum(),
                    during,
                    workers.started());
        }
    }

    /** As a GitOps tool applies a folder: several requests at a time. Returns when each create was answered. */
    private static Map<String, Instant> createAll(KubernetesClient client, int count) throws InterruptedException {
        Map<String, Instant> createdAt = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < count; i++) {
            int n = i;
            pool.execute(() -> {
                StreamMonitor sm = client.resource(monitor(n)).create();
                createdAt.put(sm.getMetadata().getName(), Instant.now());
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("creating " + count + " StreamMonitors took over 10 minutes");
        }
        return createdAt;
    }

    private static StreamMonitor monitor(int i) {
        StreamMonitor sm = new StreamMonitor();
        sm.setMetadata(new ObjectMetaBuilder()
                .withNamespace(NAMESPACE)
                .withName("stream-" + i)
                .build());
        sm.setSpec(new StreamMonitorSpec());
        sm.getSpec().source = new SourceSpec();
        sm.getSpec().source.url = "udp://239.1." + (i / 250) + "." + (i % 250) + ":5000";
        return sm;
    }

    /** Writes to streammonitors (and status), pods (and binding, status) and events, by resource and verb. */
    private static Map<String, Double> writes(Kubectl kubectl) throws Exception {
        Kubectl.Result metrics = kubectl.run("get", "--raw", "/metrics");
        Map<String, Double> writes = new TreeMap<>();
        for (String line : metrics.output().split("\n")) {
            Matcher m = REQUEST.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            String resource = labels.getOrDefault("resource", "");
            if (WRITES.contains(labels.get("verb"))
                    && Set.of("streammonitors", "pods", "events").contains(resource)) {
                String sub = labels.getOrDefault("subresource", "");
                String code = labels.getOrDefault("code", "");
                String key = resource + (sub.isEmpty() ? "" : "/" + sub) + " " + labels.get("verb")
                        + (code.startsWith("2") ? "" : " " + code);
                writes.merge(key, Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        return writes;
    }

    private static Map<String, Double> difference(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> diff = new TreeMap<>();
        after.forEach((key, value) -> diff.put(key, value - before.getOrDefault(key, 0.0)));
        diff.values().removeIf(v -> v == 0);
        return diff;
    }

    /** The heap the operator's JVM uses now, from its own Prometheus metrics. */
    private static long operatorHeap(OperatorRelease operator) throws Exception {
        String ip = operator.pod().orElseThrow().getStatus().getPodIP();
        HttpResponse<String> metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/q/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return (long) metrics.body()
                .lines()
                .filter(line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
