package dev.monoscope.operator.pods;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.operator.ApiVerbs;
import dev.monoscope.operator.ApiWrites;
import dev.monoscope.operator.OperatorConfig;
import dev.monoscope.operator.PerMonitor;
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
import java.util.Optional;
import java.util.Set;
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
     * What the rollout did not finish: when to look again (null: wait for the next event); what happened to pods
     * on the way, for Events; and the shards whose pod the API server refused to create.
     */
    public record Result(
            Duration recheckAfter, boolean complete, List<PodOccurrence> occurrences, List<PodRefusal> refusals) {}

    /** One shard's pods: the desired one if it exists (and is not terminating), and those of older configurations. */
    private record ShardView(DesiredPod want, String key, List<Pod> pods, Optional<Pod> current, List<Pod> old) {}

    /** What one pass of {@link #apply} found and did. */
    private static final class Pass {
        final String uid;
        final Instant now;
        final List<PodOccurrence> occurrences = new ArrayList<>();
        Duration recheck;
        boolean complete = true;
        boolean replacing;

        Pass(String uid, Instant now) {
            this.uid = uid;
            this.now = now;
        }
    }

    private final KubernetesClient client;
    private final ApiWrites writes;
    private final ShardBackoff backoff;
    private final Clock clock;
    /** Per StreamMonitor, the pods the operator deleted itself (by name), so their disappearance is no failure. */
    private final PerMonitor<String, Boolean> deletedByUs = new PerMonitor<>();
    /** Per StreamMonitor, shard key → the pod last seen for that shard. */
    private final PerMonitor<String, String> lastSeen = new PerMonitor<>();
    /** Per StreamMonitor, shard key → the API server's refusal of its last pod create, until a create succeeds. */
    private final PerMonitor<String, PodRefusal> refused = new PerMonitor<>();

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
        Pass pass = new Pass(monitor.getMetadata().getUid(), clock.instant());
        List<Pod> live = removeFailed(pods, pass);
        for (Pod pod : live) {
            // Shards beyond spec.replicas (scale down) or without a shard label.
            int shard = WorkerPods.shard(pod);
            if ((shard < 0 || shard >= desired.size()) && !WorkerPods.isTerminating(pod)) {
                delete(pod);
                pass.complete = false;
            }
        }
        List<ShardView> shards =
                desired.stream().map(want -> view(pass.uid, want, live)).toList();
        for (ShardView shard : shards) {
            observe(shard, reporting, pass);
        }
        for (ShardView shard : shards) {
            if (shard.pods().isEmpty()) {
                recreate(monitor, shard, created, pass);
            } else {
                shard.current()
                        .ifPresent(p -> lastSeen.put(
                                pass.uid, shard.key(), p.getMetadata().getName()));
                if (!shard.old().isEmpty()) {
                    replace(shard, reporting, created, pass);
                }
            }
        }
        forgetDeletedPodsGone(pass.uid, pods);
        List<PodRefusal> refusals = shards.stream()
                .map(s -> refused.get(pass.uid, s.key()))
                .filter(java.util.Objects::nonNull)
                .toList();
        return new Result(pass.recheck, pass.complete, List.copyOf(pass.occurrences), refusals);
    }

    private static ShardView view(String uid, DesiredPod want, List<Pod> live) {
        List<Pod> shardPods =
                live.stream().filter(p -> WorkerPods.shard(p) == want.shard()).toList();
        Optional<Pod> current = shardPods.stream()
                .filter(p -> p.getMetadata().getName().equals(want.name()) && !WorkerPods.isTerminating(p))
                .findFirst();
        List<Pod> old = shardPods.stream()
                .filter(p -> !p.getMetadata().getName().equals(want.name()))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
        return new ShardView(want, shardKey(uid, want.shard()), shardPods, current, old);
    }

    /** Failed and evicted pods: gone for good; their shard waits out its backoff. Returns the others. */
    private List<Pod> removeFailed(List<Pod> pods, Pass pass) {
        List<Pod> live = new ArrayList<>();
        for (Pod pod : pods) {
            if (!WorkerPods.isFailed(pod) || WorkerPods.isTerminating(pod)) {
                live.add(pod);
                continue;
            }
            String cause = Optional.ofNullable(pod.getStatus().getReason()).orElse("Failed");
            String reason = cause
                    + Optional.ofNullable(pod.getStatus().getMessage())
                            .map(m -> ": " + m)
                            .orElse("");
            LOG.infof(
                    "worker pod %s/%s failed (%s), replacing it",
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName(), reason);
            pass.occurrences.add(new PodOccurrence(
                    PodOccurrence.Kind.LOST,
                    pod.getMetadata().getName(),
                    WorkerPods.shard(pod),
                    cause,
                    "failed (" + reason + ")"));
            backoff.failed(shardKey(pass.uid, WorkerPods.shard(pod)), pass.now);
            delete(pod);
            pass.complete = false;
        }
        return live;
    }

    /** Whether the shard is done, whether a replacement is under way, and a shard stable long enough. */
    private void observe(ShardView shard, Predicate<Pod> reporting, Pass pass) {
        boolean currentReady =
                shard.current().isPresent() && ready(shard.current().get(), reporting);
        if (!shard.old().isEmpty() || !currentReady) {
            pass.complete = false;
        }
        if (shard.current().isPresent() && !shard.old().isEmpty()) {
            pass.replacing = true;
        }
        if (currentReady && readyFor(shard.current().get(), pass.now).compareTo(backoff.max()) >= 0) {
            backoff.stable(shard.key());
        }
    }

    /** A shard without pods: its pod was deleted behind our back (after a backoff), or it never had one. */
    private void recreate(StreamMonitor monitor, ShardView shard, Consumer<Pod> created, Pass pass) {
        String seen = lastSeen.remove(pass.uid, shard.key());
        if (seen != null && deletedByUs.remove(pass.uid, seen) == null) {
            LOG.infof(
                    "worker pod %s/%s disappeared, recreating it after backoff",
                    monitor.getMetadata().getNamespace(), seen);
            backoff.failed(shard.key(), pass.now);
            pass.occurrences.add(new PodOccurrence(
                    PodOccurrence.Kind.LOST, seen, shard.want().shard(), "deleted", "was deleted"));
        }
        Duration wait = backoff.remaining(shard.key(), pass.now);
        if (wait.isZero()) {
            create(shard, created, pass);
        } else {
            pass.recheck = min(pass.recheck, wait);
        }
    }

    /** A shard whose configuration changed. One shard at a time. */
    private void replace(ShardView shard, Predicate<Pod> reporting, Consumer<Pod> created, Pass pass) {
        List<Pod> oldLive =
                shard.old().stream().filter(p -> !WorkerPods.isTerminating(p)).toList();
        boolean oldHoldsNothing = shard.old().stream().allMatch(p -> "Pending".equals(WorkerPods.phase(p)));
        if (shard.current().isPresent()) {
            // Make-before-break, second half: the old pod goes once the new one reports.
            if (ready(shard.current().get(), reporting) || oldHoldsNothing) {
                oldLive.forEach(p -> replaced(p, shard.want(), pass));
            }
            return;
        }
        if (pass.replacing) {
            return;
        }
        pass.replacing = true;
        boolean breakFirst =
                (shard.want().gpu() || shard.old().stream().anyMatch(WorkerPods::isGpu)) && !oldHoldsNothing;
        if (breakFirst) {
            oldLive.forEach(p -> replaced(p, shard.want(), pass));
            if (oldLive.size() == shard.old().size()) {
                // Nothing terminating remains on a real cluster only after the deletes land; the informer
                // event of the deletion brings us back here to create the new pod.
                return;
            }
        } else if (oldHoldsNothing) {
            oldLive.forEach(p -> replaced(p, shard.want(), pass));
        }
        create(shard, created, pass);
    }

    /** Pods we deleted that are gone and whose disappearance nothing will look up any more. */
    private void forgetDeletedPodsGone(String uid, List<Pod> pods) {
        Set<String> present = new java.util.HashSet<>(lastSeen.of(uid).values());
        pods.forEach(p -> present.add(p.getMetadata().getName()));
        deletedByUs.retainOnly(uid, present);
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

    /**
     * Creates the shard's pod. A refusal by the API server (Pod Security, quota, an invalid pod) is kept for status
     * and an Event, and the shard tries again after its backoff, instead of failing the whole reconcile.
     */
    private void create(ShardView shard, Consumer<Pod> created, Pass pass) {
        Pod pod = shard.want().pod();
        try {
            writes.record(ApiVerbs.PODS, ApiVerbs.CREATE);
            Pod result = client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .resource(pod)
                    .create();
            LOG.infof(
                    "created worker pod %s/%s",
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            refused.remove(pass.uid, shard.key());
            created.accept(result);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) { // it exists already (a cache that lags behind): nothing to do
                return;
            }
            if (e.getCode() < 400 || e.getCode() >= 500) {
                throw e; // the API server is unwell: the reconcile is retried
            }
            String message = e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage()
                    : e.getMessage();
            LOG.warnf(
                    "the API server refused worker pod %s/%s (%d): %s",
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getCode(), message);
            PodRefusal refusal =
                    new PodRefusal(shard.want().shard(), shard.want().name(), e.getCode(), message);
            refused.put(pass.uid, shard.key(), refusal);
            pass.occurrences.add(new PodOccurrence(
                    PodOccurrence.Kind.REFUSED, refusal.pod(), refusal.shard(), refusal.reason(), message));
            backoff.failed(shard.key(), pass.now);
            pass.recheck = min(pass.recheck, backoff.remaining(shard.key(), pass.now));
            pass.complete = false;
        }
    }

    /** Delete an old pod of a shard whose configuration changed. */
    private void replaced(Pod old, DesiredPod by, Pass pass) {
        delete(old);
        pass.occurrences.add(new PodOccurrence(
                PodOccurrence.Kind.REPLACED, old.getMetadata().getName(), by.shard(), "configuration", by.name()));
    }

    private void delete(Pod pod) {
        deletedByUs.put(ownerUid(pod), pod.getMetadata().getName(), true);
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
                || lastSeen.size(uid) > 0
                || refused.size(uid) > 0
                || deletedByUs.size(uid) > 0;
    }

    /** Forget a deleted StreamMonitor. */
    public void forget(String uid) {
        backoff.forgetAll(uid + "/");
        lastSeen.forget(uid);
        refused.forget(uid);
        deletedByUs.forget(uid);
    }

    private static String ownerUid(Pod pod) {
        return WorkerPods.controller(pod).map(o -> o.getUid()).orElse("");
    }

    private static String shardKey(String uid, int shard) {
        return uid + "/" + shard;
    }

    private static Duration min(Duration a, Duration b) {
        return a == null || b.compareTo(a) < 0 ? b : a;
    }
}
