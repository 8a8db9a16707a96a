package dev.monoscope.operator.pods;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The labels and annotations of worker pods, and what a pod's status says about it. */
public final class WorkerPods {

    public static final String LABEL_NAME = "app.kubernetes.io/name";
    public static final String NAME = "monoscope-worker";
    public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
    public static final String LABEL_SHARD = "monoscope.dev/shard";
    public static final String ANNOTATION_CONFIG_HASH = "monoscope.dev/config-hash";
    /** Set on GPU pods; break-before-make applies to them. */
    public static final String ANNOTATION_GPU = "monoscope.dev/gpu";
    /** Set on pods recreated without their GPU because none could be scheduled. */
    public static final String ANNOTATION_CPU_FALLBACK = "monoscope.dev/cpu-fallback";

    public static final String CONTAINER = "worker";

    /**
     * Why a container waits that it will not get over by itself: a Secret or key it needs is missing, its image
     * cannot be pulled, or it cannot be created.
     */
    public static final Set<String> STUCK_REASONS = Set.of(
            "CreateContainerConfigError",
            "CreateContainerError",
            "ErrImagePull",
            "ImagePullBackOff",
            "InvalidImageName");

    private WorkerPods() {}

    public static String selector(String instance) {
        return LABEL_NAME + "=" + NAME + "," + LABEL_INSTANCE + "=" + instance;
    }

    public static int shard(Pod pod) {
        String value = labels(pod).get(LABEL_SHARD);
        try {
            return value == null ? -1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static boolean isGpu(Pod pod) {
        return annotation(pod, ANNOTATION_GPU);
    }

    public static boolean isCpuFallback(Pod pod) {
        return annotation(pod, ANNOTATION_CPU_FALLBACK);
    }

    public static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null
                ? "Pending"
                : pod.getStatus().getPhase();
    }

    /** Failed (crashed with restartPolicy Never, or evicted): it will not come back by itself. */
    public static boolean isFailed(Pod pod) {
        return "Failed".equals(phase(pod)) || "Succeeded".equals(phase(pod));
    }

    public static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** The owner reference of the StreamMonitor that controls the pod. */
    public static Optional<OwnerReference> controller(Pod pod) {
        return pod.getMetadata().getOwnerReferences() == null
                ? Optional.empty()
                : pod.getMetadata().getOwnerReferences().stream()
                        .filter(o -> Boolean.TRUE.equals(o.getController()))
                        .findFirst();
    }

    public static Optional<String> ip(Pod pod) {
        return Optional.ofNullable(pod.getStatus()).map(s -> s.getPodIP()).filter(ip -> !ip.isBlank());
    }

    /** The operator reads the report of every Running pod with an IP, ready or not. */
    public static boolean isReportable(Pod pod) {
        return "Running".equals(phase(pod)) && ip(pod).isPresent() && !isTerminating(pod);
    }

    public static boolean isReady(Pod pod) {
        return "Running".equals(phase(pod))
                && condition(pod, "Ready")
                        .map(c -> "True".equals(c.getStatus()))
                        .orElse(false);
    }

    public static Optional<String> node(Pod pod) {
        return Optional.ofNullable(pod.getSpec()).map(s -> s.getNodeName());
    }

    public static int restarts(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount())
                .sum();
    }

    /** A container of the pod that waits for one of {@link #STUCK_REASONS}, if one does. */
    public static Optional<ContainerStateWaiting> stuck(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .map(s -> s.getState() == null ? null : s.getState().getWaiting())
                .filter(w -> w != null && STUCK_REASONS.contains(w.getReason()))
                .findFirst();
    }

    /** The scheduler's PodScheduled=False/Unschedulable condition, if the pod has one. */
    public static Optional<PodCondition> unschedulable(Pod pod) {
        if (!"Pending".equals(phase(pod))) {
            return Optional.empty();
        }
        return condition(pod, "PodScheduled")
                .filter(c -> "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()));
    }

    /** Since when the pod has been unschedulable (now when the condition carries no time). */
    public static Instant unschedulableSince(PodCondition c, Instant now) {
        try {
            return c.getLastTransitionTime() == null ? now : Instant.parse(c.getLastTransitionTime());
        } catch (RuntimeException e) {
            return now;
        }
    }

    public static Optional<PodCondition> condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    private static Map<String, String> labels(Pod pod) {
        Map<String, String> l = pod.getMetadata().getLabels();
        return l == null ? Map.of() : l;
    }

    private static boolean annotation(Pod pod, String key) {
        Map<String, String> a = pod.getMetadata().getAnnotations();
        return a != null && "true".equals(a.get(key));
    }
}
