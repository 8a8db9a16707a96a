package dev.monoscope.operator.reports;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.operator.OperatorConfig;
import dev.monoscope.operator.pods.WorkerPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Long-polls {@code GET http://<podIP>:<port>/api/v1/report?since=N&waitSeconds=S} of every Running worker pod
 * that has an IP, ready or not, with the JDK's asynchronous HttpClient (no thread per pod). When a worker's
 * report changes (a new version, or a new instance), the report is cached and the owning StreamMonitor is
 * reconciled: this is a JOSDK event source.
 */
@Singleton
public class ReportPoller extends AbstractEventSource<WorkerReport, StreamMonitor> {

    private static final Logger LOG = Logger.getLogger(ReportPoller.class);
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final OperatorConfig.Report config;
    private final HttpClient http;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "report-poll-retry");
        t.setDaemon(true);
        return t;
    });
    /** pod namespace/name → its poll. */
    private final Map<String, Poll> polls = new ConcurrentHashMap<>();

    private volatile Function<ResourceID, Optional<Pod>> podLookup = id -> Optional.empty();

    public ReportPoller(OperatorConfig config) {
        super(WorkerReport.class, "worker-reports");
        this.config = config.report();
        this.http = HttpClient.newBuilder()
                .connectTimeout(this.config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Where to check that a polled pod still exists (the pod informer's cache). */
    public void setPodLookup(Function<ResourceID, Optional<Pod>> podLookup) {
        this.podLookup = podLookup;
    }

    /** Poll exactly the reportable pods among {@code pods}, all owned by {@code owner}. */
    public void track(ResourceID owner, Collection<Pod> pods) {
        Map<String, Pod> wanted = new HashMap<>();
        for (Pod pod : pods) {
            if (WorkerPods.isReportable(pod)) {
                wanted.put(key(pod), pod);
            }
        }
        polls.values().removeIf(p -> {
            if (p.owner.equals(owner)
                    && (!wanted.containsKey(p.podKey)
                            || !WorkerPods.ip(wanted.get(p.podKey)).orElse("").equals(p.ip))) {
                p.stopped = true;
                return true;
            }
            return false;
        });
        wanted.forEach((key, pod) -> polls.computeIfAbsent(key, k -> {
            Poll poll = new Poll(
                    owner,
                    k,
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(),
                    WorkerPods.ip(pod).orElseThrow());
            poll.next();
            return poll;
        }));
    }

    /** The last report of a pod, if one came. */
    public Optional<WorkerReport> report(Pod pod) {
        Poll poll = polls.get(key(pod));
        return poll == null || !Objects.equals(poll.ip, WorkerPods.ip(pod).orElse(null))
                ? Optional.empty()
                : Optional.ofNullable(poll.report);
    }

    /** The reports of every polled pod of {@code primary} (those that answered). */
    @Override
    public java.util.Set<WorkerReport> getSecondaryResources(StreamMonitor primary) {
        ResourceID owner = ResourceID.fromResource(primary);
        java.util.Set<WorkerReport> reports = new java.util.HashSet<>();
        polls.values().stream()
                .filter(p -> p.owner.equals(owner) && p.report != null)
                .forEach(p -> reports.add(p.report));
        return reports;
    }

    /** Whether any pod of this StreamMonitor is polled. */
    public boolean remembers(ResourceID owner) {
        return polls.values().stream().anyMatch(p -> p.owner.equals(owner));
    }

    public void forget(ResourceID owner) {
        polls.values().removeIf(p -> {
            if (p.owner.equals(owner)) {
                p.stopped = true;
                return true;
            }
            return false;
        });
    }

    @Override
    public void stop() {
        polls.values().forEach(p -> p.stopped = true);
        polls.clear();
        super.stop();
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    private final class Poll {
        final ResourceID owner;
        final String podKey;
        final ResourceID pod;
        final String ip;
        volatile WorkerReport report;
        volatile boolean stopped;
        /**
         * Set after a failed request: the worker may have restarted in the same pod, and a new process counts its
         * versions from 0 again, so the next request asks for the current report instead of waiting for a version
         * the new process will not reach for a long time.
         */
        volatile boolean resync;

        Poll(ResourceID owner, String podKey, String namespace, String name, String ip) {
            this.owner = owner;
            this.podKey = podKey;
            this.pod = new ResourceID(name, namespace);
            this.ip = ip;
        }

        void next() {
            if (stopped) {
                return;
            }
            if (podLookup
                    .apply(pod)
                    .map(p -> !ip.equals(WorkerPods.ip(p).orElse(null)))
                    .orElse(true)) {
                // The pod is gone or moved: the next reconcile of the owner decides what to poll.
                stopped = true;
                polls.remove(podKey, this);
                return;
            }
            long since = report == null || resync ? -1 : report.version;
            String host = ip.contains(":") ? "[" + ip + "]" : ip;
            URI uri = URI.create("http://" + host + ":" + config.port() + "/api/v1/report?since=" + since
                    + "&waitSeconds=" + config.waitSeconds());
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .GET()
                    .timeout(Duration.ofSeconds(config.waitSeconds() + 10L))
                    .build();
            long sent = System.nanoTime();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
                if (stopped) {
                    return;
                }
                if (error != null || response.statusCode() != 200) {
                    resync = true;
                    LOG.debugf("report of %s: %s", podKey, error != null ? error.toString() : response.statusCode());
                    retries.schedule(this::next, config.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
                    return;
                }
                try {
                    WorkerReport fresh = JSON.readValue(response.body(), WorkerReport.class);
                    resync = false;
                    WorkerReport previous = report;
                    report = fresh;
                    boolean changed = previous == null
                            || previous.version != fresh.version
                            || !Objects.equals(previous.instanceId, fresh.instanceId);
                    if (changed && isRunning() && getEventHandler() != null) {
                        getEventHandler().handleEvent(new Event(owner));
                    }
                    if (!changed && System.nanoTime() - sent < TimeUnit.SECONDS.toNanos(1)) {
                        // A worker that does not hold the request must not make us spin.
                        retries.schedule(this::next, config.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
                    } else {
                        next();
                    }
                } catch (Exception e) {
                    LOG.warnf("unreadable report from %s: %s", podKey, e.toString());
                    retries.schedule(this::next, config.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
                }
            });
        }
    }
}
