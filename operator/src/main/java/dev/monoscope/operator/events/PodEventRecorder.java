package dev.monoscope.operator.events;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.operator.pods.PodOccurrence;
import dev.monoscope.operator.pods.WorkerPods;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Events for what happens to worker pods: Normal {@code WorkerPodReplaced} when a pod is replaced after a
 * configuration change; Warning {@code WorkerPodRestarted} when a pod's container restarts (its restartCount
 * grows) or a failed, evicted or deleted pod is recreated. Repeats bump the Event's count ({@link EventWriter}).
 */
@Singleton
public class PodEventRecorder {

    public static final String REASON_REPLACED = "WorkerPodReplaced";
    public static final String REASON_RESTARTED = "WorkerPodRestarted";

    private final EventWriter writer;
    /** uid/pod uid → the pod's restartCount when last seen. A pod seen for the first time (an operator restart) says nothing. */
    private final Map<String, Integer> restarts = new ConcurrentHashMap<>();

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
                            "Normal",
                            REASON_REPLACED,
                            "worker pod " + o.pod() + " replaced by " + o.detail() + " after a configuration change");
                case LOST ->
                    writer.emit(
                            monitor,
                            "Warning",
                            REASON_RESTARTED,
                            "worker pod " + o.pod() + " " + o.detail() + "; its shard gets a new pod after a backoff");
            }
        }
        String prefix = monitor.getMetadata().getUid() + "/";
        Set<String> present = new HashSet<>();
        for (Pod pod : pods) {
            String key = prefix + pod.getMetadata().getUid();
            present.add(key);
            int now = WorkerPods.restarts(pod);
            Integer before = restarts.put(key, now);
            if (before != null && now > before) {
                writer.emit(
                        monitor,
                        "Warning",
                        REASON_RESTARTED,
                        "worker pod " + pod.getMetadata().getName() + " restarted its container" + lastExit(pod));
            }
        }
        restarts.keySet().removeIf(k -> k.startsWith(prefix) && !present.contains(k));
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

    /** Whether anything of this StreamMonitor is remembered. */
    public boolean remembers(String uid) {
        return restarts.keySet().stream().anyMatch(k -> k.startsWith(uid + "/"));
    }

    public void forget(String uid) {
        restarts.keySet().removeIf(k -> k.startsWith(uid + "/"));
    }
}
