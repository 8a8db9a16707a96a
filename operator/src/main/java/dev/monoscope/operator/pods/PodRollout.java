package dev.monoscope.operator.pods;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.operator.ApiVerbs;
import dev.monoscope.operator.ApiWrites;
import dev.monoscope.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Moves the worker pods of one StreamMonitor towards the desired ones: creates missing pods, deletes extra ones,
 * and replaces one shard at a time when a shard's configuration hash changes — the new pod first and the old one
 * once the new one reports (make-before-break) for CPU pods, the old one first for GPU pods (there may be no
 * second GPU). Failed, evicted and externally deleted pods come back after a per-shard backoff.
 */
@Singleton
public class PodRollout {

    private static final Logger LOG = Logger.getLogger(PodRollout.class);

    /**
     * What the rollout did not finish: when to look again (null: wait for the next event); and what happened to
     * pods on the way, for Events.
     */
    public record Result(Duration recheckAfter, boolean complete, List<PodOccurrence> occurrences) {}

    private final KubernetesClient client;
    private final ApiWrites writes;
    private final ShardBackoff backoff;
    private final Clock clock;
    /** uid/pod name of the pods the operator deleted itself, so their disappearance is not a failure. */
    private final Set<String> deletedByUs = ConcurrentHashMap.newKeySet();
    /** shard key → the pod last seen for that shard. */
    private final Map<String, String> lastSeen = new ConcurrentHashMap<>();

    @jakarta.inject.Inject
    public PodRollout(KubernetesClient client, ApiWrites writes, OperatorConfig config) {
        this(
                client,
                writes,
                new ShardBackoff(
                        config.rollout().backoffInitial(), config.rollout().backoffMax()),
                Clock.systemUTC());
    }

    PodRollout(KubernetesClient client, ApiWrites writes, ShardBackoff backoff, Clock clock) {
        this.client = client;
        this.writes = writes;
        this.backoff = backoff;
        this.clock = clock;
    }

    /** Suspended or invalid: no pods at all. */
    public void removeAll(List<Pod> pods) {
        pods.stream().filter(p -> !WorkerPods.isTerminating(p)).forEach(this::delete);
    }

    /**
     * @param desired one per shard, index = shard
     * @param reporting whether a pod has answered a report request (the new pod of a replacement "reports")
     * @param created told about each pod created, so that the informer cache knows it before its event
     */
    public Result apply(
            StreamMonitor monitor,
            List<Pod> pods,
            List<DesiredPod> desired,
            Predicate<Pod> reporting,
            Consumer<Pod> created) {
        Instant now = clock.instant();
        String uid = monitor.getMetadata().getUid();
        Duration recheck = null;
        boolean complete = true;
        List<PodOccurrence> occurrences = new ArrayList<>();

        // Failed and evicted pods: gone for good; the shard waits out its backoff.
        List<Pod> live = new ArrayList<>();
        for (Pod pod : pods) {
            if (WorkerPods.isFailed(pod) && !WorkerPods.isTerminating(pod)) {
                String reason = Optional.ofNullable(pod.getStatus().getReason()).orElse("Failed")
                        + Optional.ofNullable(pod.getStatus().getMessage())
                                .map(m -> ": " + m)
                                .orElse("");
                LOG.infof(
                        "worker pod %s/%s failed (%s), replacing it",
                        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), reason);
                occurrences.add(new PodOccurrence(
                        PodOccurrence.Kind.LOST, pod.getMetadata().getName(), "failed (" + reason + ")"));
                backoff.failed(shardKey(uid, WorkerPods.shard(pod)), now);
                delete(pod);
                complete = false;
            } else {
                live.add(pod);
            }
        }
        // Shards beyond spec.replicas (scale down) or without a shard label.
        for (Pod pod : live) {
            int shard = WorkerPods.shard(pod);
            if ((shard < 0 || shard >= desired.size()) && !WorkerPods.isTerminating(pod)) {
                delete(pod);
                complete = false;
            }
        }

        boolean replacing = false;
        for (DesiredPod want : desired) {
            List<Pod> shardPods = live.stream()
                    .filter(p -> WorkerPods.shard(p) == want.shard())
                    .toList();
            Optional<Pod> current = shardPods.stream()
                    .filter(p -> p.getMetadata().getName().equals(want.name()) && !WorkerPods.isTerminating(p))
                    .findFirst();
            List<Pod> old = shardPods.stream()
                    .filter(p -> !p.getMetadata().getName().equals(want.name()))
                    .toList();
            if (!old.isEmpty() || current.isEmpty() || !ready(current.get(), reporting)) {
                complete = false;
            }
            if (current.isPresent() && !old.isEmpty()) {
                replacing = true;
            }
            if (current.isPresent()
                    && ready(current.get(), reporting)
                    && readyFor(current.get(), now).compareTo(backoff.max()) >= 0) {
                backoff.stable(shardKey(uid, want.shard()));
            }
        }

        for (DesiredPod want : desired) {
            String key = shardKey(uid, want.shard());
            List<Pod> shardPods = live.stream()
                    .filter(p -> WorkerPods.shard(p) == want.shard())
                    .toList();
            Optional<Pod> current = shardPods.stream()
                    .filter(p -> p.getMetadata().getName().equals(want.name()) && !WorkerPods.isTerminating(p))
                    .findFirst();
            List<Pod> old = shardPods.stream()
                    .filter(p -> !p.getMetadata().getName().equals(want.name()))
                    .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                    .toList();

            if (shardPods.isEmpty()) {
                String seen = lastSeen.remove(key);
                if (seen != null && !deletedByUs.remove(uid + "/" + seen)) {
                    LOG.infof(
                            "worker pod %s/%s disappeared, recreating it after backoff",
                            monitor.getMetadata().getNamespace(), seen);
                    backoff.failed(key, now);
                    occurrences.add(new PodOccurrence(PodOccurrence.Kind.LOST, seen, "was deleted"));
                }
                Duration wait = backoff.remaining(key, now);
                if (wait.isZero()) {
                    create(want, created);
                } else {
                    recheck = min(recheck, wait);
                }
                continue;
            }
            current.ifPresent(p -> lastSeen.put(key, p.getMetadata().getName()));
            if (old.isEmpty()) {
                continue;
            }
            List<Pod> oldLive =
                    old.stream().filter(p -> !WorkerPods.isTerminating(p)).toList();
            boolean oldHoldsNothing = old.stream().allMatch(p -> "Pending".equals(WorkerPods.phase(p)));
            if (current.isPresent()) {
                // Make-before-break, second half: the old pod goes once the new one reports.
                if (ready(current.get(), reporting) || oldHoldsNothing) {
                    oldLive.forEach(p -> replace(p, want, occurrences));
                }
                continue;
            }
            // This shard's configuration changed. One shard at a time.
            if (replacing) {
                continue;
            }
            replacing = true;
            boolean breakFirst = (want.gpu() || old.stream().anyMatch(WorkerPods::isGpu)) && !oldHoldsNothing;
            if (breakFirst) {
                oldLive.forEach(p -> replace(p, want, occurrences));
                if (oldLive.size() == old.size()) {
                    // Nothing terminating remains on a real cluster only after the deletes land; the informer
                    // event of the deletion brings us back here to create the new pod.
                    continue;
                }
            } else if (oldHoldsNothing) {
                oldLive.forEach(p -> replace(p, want, occurrences));
            }
            create(want, created);
        }
        return new Result(recheck, complete, List.copyOf(occurrences));
    }

    private static boolean ready(Pod pod, Predicate<Pod> reporting) {
        return WorkerPods.isReady(pod) || reporting.test(pod);
    }

    private static Duration readyFor(Pod pod, Instant now) {
        return WorkerPods.condition(pod, "Ready")
                .filter(c -> "True".equals(c.getStatus()))
                .map(c -> {
                    try {
                        return Duration.between(Instant.parse(c.getLastTransitionTime()), now);
                    } catch (RuntimeException e) {
                        return Duration.ZERO;
                    }
                })
                .orElse(Duration.ZERO);
    }

    private void create(DesiredPod want, Consumer<Pod> created) {
        Pod pod = want.pod();
        try {
            writes.record(ApiVerbs.PODS, ApiVerbs.CREATE);
            Pod result = client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .resource(pod)
                    .create();
            LOG.infof(
                    "created worker pod %s/%s",
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            created.accept(result);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) { // 409: it exists already (a cache that lags behind); nothing to do
                throw e;
            }
        }
    }

    /** Delete an old pod of a shard whose configuration changed. */
    private void replace(Pod old, DesiredPod by, List<PodOccurrence> occurrences) {
        delete(old);
        occurrences.add(
                new PodOccurrence(PodOccurrence.Kind.REPLACED, old.getMetadata().getName(), by.name()));
    }

    private void delete(Pod pod) {
        deletedByUs.add(ownerUid(pod) + "/" + pod.getMetadata().getName());
        writes.record(ApiVerbs.PODS, ApiVerbs.DELETE);
        client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .delete();
        LOG.infof(
                "deleted worker pod %s/%s",
                pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }

    /** Whether anything of this StreamMonitor is remembered. */
    public boolean remembers(String uid) {
        String prefix = uid + "/";
        return backoff.remembersAny(prefix)
                || lastSeen.keySet().stream().anyMatch(k -> k.startsWith(prefix))
                || deletedByUs.stream().anyMatch(k -> k.startsWith(prefix));
    }

    /** Forget a deleted StreamMonitor. */
    public void forget(String uid) {
        backoff.forgetAll(uid + "/");
        lastSeen.keySet().removeIf(k -> k.startsWith(uid + "/"));
        deletedByUs.removeIf(k -> k.startsWith(uid + "/"));
    }

    private static String ownerUid(Pod pod) {
        return pod.getMetadata().getOwnerReferences() == null
                ? ""
                : pod.getMetadata().getOwnerReferences().stream()
                        .filter(o -> Boolean.TRUE.equals(o.getController()))
                        .map(o -> o.getUid())
                        .findFirst()
                        .orElse("");
    }

    private static String shardKey(String uid, int shard) {
        return uid + "/" + shard;
    }

    private static Duration min(Duration a, Duration b) {
        return a == null || b.compareTo(a) < 0 ? b : a;
    }
}
