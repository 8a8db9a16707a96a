package dev.monoscope.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.monoscope.api.worker.DecoderInfo;
import dev.monoscope.api.worker.WorkerReport;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thousand workers on two cores: the node's part for the worker pods of one namespace — bind each new pod to the
 * sandbox node and report it Running and Ready on its own loopback address (127.1.x.y) — and one report server on
 * the wildcard address that answers for every such address, from the Host header, with a healthy report that
 * carries the pod's UID. Nothing changes once a pod runs: a report long-poll is held, as a worker at rest holds it.
 */
final class StandInWorkers implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final HttpServer server;
    /** A cluster's thousand pods start on many nodes at once, each kubelet on its own: many requests at a time. */
    private final ExecutorService kubelet = Executors.newFixedThreadPool(16);

    private final Map<String, byte[]> reportsByIp = new ConcurrentHashMap<>();
    private final AtomicInteger started = new AtomicInteger();
    /** By owning StreamMonitor: when its pod was seen created, and when this node had reported it Running. */
    private final Map<String, Instant> createdAt = new ConcurrentHashMap<>();

    private final Map<String, Instant> runningAt = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper();
    private SharedIndexInformer<Pod> informer;

    StandInWorkers(KubernetesClient client, String namespace, int reportPort) {
        this.client = client;
        this.namespace = namespace;
        try {
            server = HttpServer.create(new InetSocketAddress(reportPort), 2000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api/v1/report", this::report);
    }

    StandInWorkers start() {
        server.start();
        informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                createdAt.putIfAbsent(owner(pod), Instant.now());
                kubelet.execute(() -> run(pod));
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {}

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {}
        });
        return this;
    }

    Map<String, Instant> createdAt() {
        return createdAt;
    }

    Map<String, Instant> runningAt() {
        return runningAt;
    }

    private static String owner(Pod pod) {
        return pod.getMetadata().getOwnerReferences().isEmpty()
                ? pod.getMetadata().getName()
                : pod.getMetadata().getOwnerReferences().get(0).getName();
    }

    /** Pods this node has started. */
    int started() {
        return started.get();
    }

    private void run(Pod pod) {
        if (pod.getSpec().getNodeName() != null) {
            return;
        }
        String name = pod.getMetadata().getName();
        int n = started.incrementAndGet();
        String ip = "127.1." + (n / 250) + "." + (1 + n % 250);
        try {
            reportsByIp.put(ip, json.writeValueAsBytes(report(pod)));
            client.bindings()
                    .inNamespace(namespace)
                    .resource(new BindingBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .withNewTarget()
                            .withKind("Node")
                            .withName(LocalPodRunner.NODE_NAME)
                            .endTarget()
                            .build())
                    .create();
            // As a kubelet does: a patch of the status alone, no read first and no resourceVersion to conflict on.
            client.pods()
                    .inNamespace(namespace)
                    .resource(new PodBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .withStatus(running(ip))
                            .build())
                    .patchStatus();
            runningAt.putIfAbsent(owner(pod), Instant.now());
        } catch (IOException | RuntimeException e) {
            System.err.println("stand-in node: cannot start " + name + ": " + e);
        }
    }

    private static WorkerReport report(Pod pod) {
        WorkerReport r = new WorkerReport();
        r.instanceId = pod.getMetadata().getName();
        r.podUid = pod.getMetadata().getUid();
        r.version = 1;
        r.connected = true;
        r.decoder = new DecoderInfo(DecoderInfo.CPU, "auto", null);
        return r;
    }

    private static io.fabric8.kubernetes.api.model.PodStatus running(String ip) {
        String now = Instant.now().toString();
        return new PodStatusBuilder()
                .withPhase("Running")
                .withPodIP(ip)
                .withPodIPs(new PodIP(ip))
                .withHostIP("127.0.0.1")
                .withStartTime(now)
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .withLastTransitionTime(now)
                .endCondition()
                .build();
    }

    private void report(HttpExchange exchange) throws IOException {
        String host = exchange.getRequestHeaders().getFirst("Host").split(":")[0];
        byte[] body = reportsByIp.get(host);
        String query = exchange.getRequestURI().getQuery();
        if (body != null && query != null && !query.contains("since=-1")) {
            try {
                TimeUnit.SECONDS.sleep(waitSeconds(query)); // nothing changes: hold the long poll, as a worker does
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (body == null) {
            exchange.sendResponseHeaders(404, -1);
        } else {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private static long waitSeconds(String query) {
        for (String pair : query.split("&")) {
            if (pair.startsWith("waitSeconds=")) {
                return Math.min(30, Long.parseLong(pair.substring("waitSeconds=".length())));
            }
        }
        return 0;
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        kubelet.shutdownNow();
        server.stop(0);
    }
}
