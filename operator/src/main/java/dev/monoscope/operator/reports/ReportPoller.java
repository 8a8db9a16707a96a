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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
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
 * reconciled: this is a JOSDK event source. Nothing a worker sends is trusted: a body is at most 1 MiB and must
 * arrive whole within the request's deadline ({@link ReportFetcher}); a report must name the pod asked (its UID)
 * and that pod's shard, else it is dropped; strings and lists are cut to what status may hold
 * ({@link ReportSanitizer}).
 */
@Singleton
public class ReportPoller extends AbstractEventSource<WorkerReport, StreamMonitor> {

    private static final Logger LOG = Logger.getLogger(ReportPoller.class);
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final OperatorConfig.Report config;
    private final ReportFetcher fetcher;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "report-poll-retry");
        t.setDaemon(true);
        return t;
    });
    /**
     * Owner → pod namespace/name → its poll. By owner, so that a reconcile touches its own polls only: scanning a
     * thousand StreamMonitors' polls on every reconcile was the operator's largest CPU cost.
     */
    private final Map<ResourceID, Map<String, Poll>> polls = new ConcurrentHashMap<>();

    private volatile Function<ResourceID, Optional<Pod>> podLookup = id -> Optional.empty();

    public ReportPoller(OperatorConfig config) {
        super(WorkerReport.class, "worker-reports");
        this.config = config.report();
        this.fetcher = new ReportFetcher(this.config.connectTimeout(), ReportFetcher.MAX_BODY);
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
        List<Poll> started = new ArrayList<>();
        polls.compute(owner, (o, current) -> {
            Map<String, Poll> mine = current == null ? new ConcurrentHashMap<>() : current;
            mine.values().removeIf(p -> {
                if (!wanted.containsKey(p.podKey) || !p.polls(wanted.get(p.podKey))) {
                    p.stopped = true;
                    return true;
                }
                return false;
            });
            wanted.forEach((key, pod) -> mine.computeIfAbsent(key, k -> {
                Poll poll = new Poll(owner, k, pod);
                started.add(poll);
                return poll;
            }));
            return mine.isEmpty() ? null : mine;
        });
        started.forEach(Poll::next);
    }

    /** The last report of a pod, if one came. */
    public Optional<WorkerReport> report(Pod pod) {
        Map<String, Poll> mine = polls.get(owner(pod));
        Poll poll = mine == null ? null : mine.get(key(pod));
        return poll == null || !poll.polls(pod) ? Optional.empty() : Optional.ofNullable(poll.report);
    }

    /** The reports of every polled pod of {@code primary} (those that answered). */
    @Override
    public java.util.Set<WorkerReport> getSecondaryResources(StreamMonitor primary) {
        ResourceID owner = ResourceID.fromResource(primary);
        java.util.Set<WorkerReport> reports = new java.util.HashSet<>();
        polls.getOrDefault(owner, Map.of()).values().stream()
                .filter(p -> p.report != null)
                .forEach(p -> reports.add(p.report));
        return reports;
    }

    /** Whether any pod of this StreamMonitor is polled. */
    public boolean remembers(ResourceID owner) {
        return polls.containsKey(owner);
    }

    public void forget(ResourceID owner) {
        Map<String, Poll> mine = polls.remove(owner);
        if (mine != null) {
            mine.values().forEach(p -> p.stopped = true);
        }
    }

    @Override
    public void stop() {
        polls.values().forEach(mine -> mine.values().forEach(p -> p.stopped = true));
        polls.clear();
        super.stop();
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /** The StreamMonitor that owns a worker pod. */
    private static ResourceID owner(Pod pod) {
        String name = WorkerPods.controller(pod).map(o -> o.getName()).orElse(null);
        return new ResourceID(name, pod.getMetadata().getNamespace());
    }

    /** Stops a poll and forgets it, unless another poll took its place. */
    private void drop(Poll poll) {
        poll.stopped = true;
        polls.computeIfPresent(poll.owner, (o, mine) -> {
            mine.remove(poll.podKey, poll);
            return mine.isEmpty() ? null : mine;
        });
    }

    private final class Poll {
        final ResourceID owner;
        final String podKey;
        final ResourceID pod;
        final String ip;
        final String podUid;
        final int shard;
        volatile WorkerReport report;
        volatile boolean stopped;
        /**
         * Set after a failed request: the worker may have restarted in the same pod, and a new process counts its
         * versions from 0 again, so the next request asks for the current report instead of waiting for a version
         * the new process will not reach for a long time.
         */
        volatile boolean resync;

        Poll(ResourceID owner, String podKey, Pod pod) {
            this.owner = owner;
            this.podKey = podKey;
            this.pod = ResourceID.fromResource(pod);
            this.ip = WorkerPods.ip(pod).orElseThrow();
            this.podUid = pod.getMetadata().getUid();
            this.shard = WorkerPods.shard(pod);
        }

        /** Whether this poll asks that pod (a pod recreated under the same name is another pod). */
        boolean polls(Pod p) {
            return ip.equals(WorkerPods.ip(p).orElse(null))
                    && Objects.equals(podUid, p.getMetadata().getUid());
        }

        /** Why a report is not this pod's, or null when it is. */
        String notOurs(WorkerReport r) {
            if (r.podUid == null ? config.requirePodUid() : !r.podUid.equals(podUid)) {
                return "it names pod UID " + r.podUid + ", not " + podUid;
            }
            if (r.shardIndex != null && r.shardIndex != shard) {
                return "it names shard " + r.shardIndex + ", not " + shard;
            }
            return null;
        }

        private void retry() {
            retries.schedule(this::next, config.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
        }

        void next() {
            if (stopped) {
                return;
            }
            if (podLookup.apply(pod).map(p -> !polls(p)).orElse(true)) {
                // The pod is gone or moved: the next reconcile of the owner decides what to poll.
                drop(this);
                return;
            }
            long since = report == null || resync ? -1 : report.version;
            String host = ip.contains(":") ? "[" + ip + "]" : ip;
            URI uri = URI.create("http://" + host + ":" + config.port() + "/api/v1/report?since=" + since
                    + "&waitSeconds=" + config.waitSeconds());
            long sent = System.nanoTime();
            fetcher.get(uri, Duration.ofSeconds(config.waitSeconds() + 10L)).whenComplete((body, error) -> {
                if (stopped) {
                    return;
                }
                if (error != null) {
                    resync = true;
                    LOG.debugf("report of %s: %s", podKey, error);
                    retry();
                    return;
                }
                WorkerReport fresh;
                try {
                    fresh = ReportSanitizer.sanitize(JSON.readValue(body, WorkerReport.class));
                } catch (Exception e) {
                    LOG.warnf("unreadable report from %s: %s", podKey, e.toString());
                    retry();
                    return;
                }
                String notOurs = notOurs(fresh);
                if (notOurs != null) {
                    LOG.warnf("report from %s (%s) dropped: %s", podKey, ip, notOurs);
                    resync = true;
                    retry();
                    return;
                }
                accept(fresh, sent);
            });
        }

        private void accept(WorkerReport fresh, long sent) {
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
                retry(); // a worker that does not hold the request must not make us spin
            } else {
                next();
            }
        }
    }
}
