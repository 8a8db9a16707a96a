package dev.monoscope.operator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.api.worker.DecoderInfo;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.operator.ApiWrites;
import dev.monoscope.operator.CrdSetup;
import dev.monoscope.operator.pods.WorkerPods;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: {@code mvn -o -pl operator test -Dtest=OperatorBench -Dbench.operator=true
 * [-Dbench.monitors=1000 -Dbench.steady=PT5M]}. Prints the time until every StreamMonitor has
 * its pod and Ready=True, the heap (operator and mock API server share this JVM), and the API writes per
 * StreamMonitor over the steady minutes with nothing changing. One report server on the wildcard address answers
 * for every pod IP (127.0.x.y), from the Host header.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@EnabledIfSystemProperty(named = "bench.operator", matches = "true")
class OperatorBench {

    @Inject
    KubernetesClient client;

    @Inject
    ApiWrites writes;

    @ConfigProperty(name = "monoscope.report.port")
    int port;

    @Test
    void thousandMonitors() throws Exception {
        int count = Integer.getInteger("bench.monitors", 1000);
        Duration steady = Duration.parse(System.getProperty("bench.steady", "PT5M"));
        Map<String, byte[]> reports = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 2000);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api/v1/report", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host").split(":")[0];
            byte[] body = reports.get(host);
            String query = exchange.getRequestURI().getQuery();
            if (body != null && query != null && !query.contains("since=-1")) {
                try {
                    Thread.sleep(2000); // nothing changes: hold the long poll
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        ObjectMapper json = new ObjectMapper();
        Instant start = Instant.now();
        for (int i = 0; i < count; i++) {
            StreamMonitor sm = new StreamMonitor();
            sm.setMetadata(new ObjectMetaBuilder()
                    .withNamespace("bench")
                    .withName("stream-" + i)
                    .build());
            sm.setSpec(new dev.monoscope.api.v1alpha1.StreamMonitorSpec());
            sm.getSpec().source = new dev.monoscope.api.v1alpha1.SourceSpec();
            sm.getSpec().source.url = "udp://239.1." + (i / 250) + "." + (i % 250) + ":5000";
            client.resource(sm).create();
        }
        // The kubelet: every new pod runs, with its own loopback IP and a report waiting there.
        int ready = 0;
        Map<String, Boolean> started = new ConcurrentHashMap<>();
        while (ready < count) {
            for (Pod pod : client.pods().inNamespace("bench").list().getItems()) {
                if (started.putIfAbsent(pod.getMetadata().getName(), true) == null) {
                    int n = started.size();
                    String ip = "127.1." + (n / 250) + "." + (1 + n % 250);
                    WorkerReport r = new WorkerReport();
                    r.instanceId = pod.getMetadata().getName();
                    r.version = 1;
                    r.connected = true;
                    r.decoder = new DecoderInfo(DecoderInfo.CPU, "auto", null);
                    reports.put(ip, json.writeValueAsBytes(r));
                    pod.setStatus(new PodStatusBuilder()
                            .withPhase("Running")
                            .withPodIP(ip)
                            .addNewCondition()
                            .withType("Ready")
                            .withStatus("True")
                            .withLastTransitionTime(Instant.now().toString())
                            .endCondition()
                            .build());
                    client.resource(pod).subresource("status").update();
                }
            }
            ready = (int) client.resources(StreamMonitor.class).inNamespace("bench").list().getItems().stream()
                    .filter(sm -> sm.getStatus() != null
                            && sm.getStatus().conditions != null
                            && sm.getStatus().conditions.stream()
                                    .anyMatch(c -> StreamMonitorStatus.READY.equals(c.getType())
                                            && "True".equals(c.getStatus())))
                    .count();
            Thread.sleep(500);
        }
        Duration toReady = Duration.between(start, Instant.now());
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        Thread.sleep(10_000); // let the last coalesced writes land
        double before = writes.total();
        Thread.sleep(steady.toMillis());
        double during = writes.total() - before;
        System.gc();
        long heapAfter =
                Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        System.out.printf(
                "%nBENCH %d StreamMonitors: all pods and Ready=True after %.1f s; heap %d MiB (after steady %d MiB,"
                        + " operator + mock API server); API writes in %s steady: %.0f (%.4f per StreamMonitor); pods %d%n",
                count,
                toReady.toMillis() / 1000.0,
                heap >> 20,
                heapAfter >> 20,
                steady,
                during,
                during / count,
                client.pods()
                        .inNamespace("bench")
                        .withLabel(WorkerPods.LABEL_NAME, WorkerPods.NAME)
                        .list()
                        .getItems()
                        .size());
        server.stop(0);
    }
}
