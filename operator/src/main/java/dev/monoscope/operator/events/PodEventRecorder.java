package dev.monoscope.operator.events;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.operator.PerMonitor;
import dev.monoscope.operator.pods.PodOccurrence;
import dev.monoscope.operator.pods.WorkerPods;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Events for what happens to worker pods: Normal {@code WorkerPodReplaced} when a pod is replaced after a
 * configuration change; Warning {@code WorkerPodRestarted} when a pod's container restarts (its restartCount
 * grows) or a failed, evicted or deleted pod is recreated; Warnings when the API server refuses a pod (reason
 * {@code PodForbidden}, {@code QuotaExceeded}, {@code PodInvalid}) and when a container cannot start (reason the
 * kubelet's: {@code CreateContainerConfigError} for a missing Secret, {@code ImagePullBackOff}, …). The same
 * shard and cause again bumps that Event's count ({@link EventWriter}).
 */
@Singleton
public class PodEventRecorder {

    public static final String REASON_REPLACED = "WorkerPodReplaced";
    public static final String REASON_RESTARTED = "WorkerPodRestarted";

    private final EventWriter writer;
    /**
     * Per StreamMonitor, pod uid → the pod's restartCount when last seen. A pod seen for the first time (an operator
     * restart) says nothing.
     */
    private final PerMonitor<String, Integer> restarts = new PerMonitor<>();

    /** Per StreamMonitor, pod uid → why its container waits, while it waits for what it will not get by itself. */
    private final PerMonitor<String, String> stuck = new PerMonitor<>();

    public PodEventRecorder(EventWriter writer) {
        this.writer = writer;
    }

    /**
     * @param pods the StreamMonitor's pods now
     * @param occurrences what the rollout did to them
     */
    public void record(StreamMonitor monitor, List<Pod> pods, List<PodOccurrence> occurrences) {
        for (PodOccurrence o : occurrences) {
            switch (o.kind()) {
                case REPLACED ->
                    writer.emit(
                            monitor,
                            new EventWriter.Key("Normal", REASON_REPLACED, series(o.shard(), o.cause())),
                            "worker pod " + o.pod() + " replaced by " + o.detail() + " after a configuration change");
                case LOST ->
                    writer.emit(
                            monitor,
                            new EventWriter.Key("Warning", REASON_RESTARTED, series(o.shard(), o.cause())),
                            "worker pod " + o.pod() + " " + o.detail() + "; its shard gets a new pod after a backoff");
                case REFUSED ->
                    writer.emit(
                            monitor,
                            new EventWriter.Key("Warning", o.cause(), series(o.shard(), "refused")),
                            "the API server refused worker pod " + o.pod() + ": " + o.detail()
                                    + "; its shard tries again after a backoff");
            }
        }
        String uid = monitor.getMetadata().getUid();
        Set<String> present = new HashSet<>();
        for (Pod pod : pods) {
            String key = pod.getMetadata().getUid();
            present.add(key);
            recordStuck(monitor, pod, key);
            int now = WorkerPods.restarts(pod);
            Integer before = restarts.put(uid, key, now);
            if (before != null && now > before) {
                writer.emit(
                        monitor,
                        new EventWriter.Key(
                                "Warning",
                                REASON_RESTARTED,
                                series(WorkerPods.shard(pod), "exit " + lastExitReason(pod))),
                        "worker pod " + pod.getMetadata().getName() + " restarted its container" + lastExit(pod));
            }
        }
        restarts.retainOnly(uid, present);
        stuck.retainOnly(uid, present);
    }

    /** A Warning when a pod's container starts waiting for something it will not get by itself. */
    private void recordStuck(StreamMonitor monitor, Pod pod, String key) {
        Optional<ContainerStateWaiting> waiting = WorkerPods.stuck(pod);
        if (waiting.isEmpty()) {
            stuck.remove(monitor.getMetadata().getUid(), key);
            return;
        }
        String reason = waiting.get().getReason();
        if (!reason.equals(stuck.put(monitor.getMetadata().getUid(), key, reason))) {
            writer.emit(
                    monitor,
                    new EventWriter.Key("Warning", reason, series(WorkerPods.shard(pod), "waiting")),
                    "worker pod " + pod.getMetadata().getName() + " cannot start: "
                            + waiting.get().getMessage());
        }
    }

    /** Pod Events of one shard and cause are one Event: a bounded set per StreamMonitor. */
    private static String series(int shard, String cause) {
        return "shard " + shard + ": " + cause;
    }

    private static String lastExitReason(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return "unknown";
        }
        return pod.getStatus().getContainerStatuses().stream()
                .map(s -> s.getLastState() == null ? null : s.getLastState().getTerminated())
                .filter(java.util.Objects::nonNull)
                .map(t -> t.getReason() == null ? "unknown" : t.getReason())
                .findFirst()
                .orElse("unknown");
    }

    /** " (last exit: OOMKilled, code 137)", or nothing when the kubelet did not say. */
    private static String lastExit(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return "";
        }
        for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
            ContainerStateTerminated last =
                    status.getLastState() == null ? null : status.getLastState().getTerminated();
            if (last != null) {
                return " (last exit: " + (last.getReason() == null ? "unknown" : last.getReason())
                        + (last.getExitCode() == null ? "" : ", code " + last.getExitCode()) + ")";
            }
        }
        return "";
    }

    /** How many entries are kept for this StreamMonitor (one per pod). */
    public int retained(String uid) {
        return restarts.size(uid);
    }

    public void forget(String uid) {
        restarts.forget(uid);
        stuck.forget(uid);
    }
}
