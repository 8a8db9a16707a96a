package dev.monoscope.operator.pods;

import dev.monoscope.api.v1alpha1.GpuSpec;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.WorkerPodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The admin's allow-list for what a StreamMonitor's author may choose about its worker pods: its MonitorClass, or
 * the operator's {@code monoscope.policy.*} settings (the chart's {@code workerPolicy} values) when none applies.
 * A StreamMonitor is not a pod in disguise: image, hostNetwork, runtimeClass, priorityClass, tolerations and
 * placement are honoured only as far as allowed, resources only up to a ceiling, and the operator's own
 * {@code monoscope.dev/} annotations never.
 */
public final class WorkerPolicy {

    /** Annotations under this prefix steer the operator's rollout: never taken from a StreamMonitor. */
    public static final String RESERVED_PREFIX = "monoscope.dev/";

    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private WorkerPolicy() {}

    /**
     * Every choice of spec.worker (and spec.gpu.resourceName) beyond what the class allows, each naming its field;
     * empty when all are allowed.
     */
    public static List<String> problems(StreamMonitor monitor, WorkerClass workerClass) {
        WorkerClass.Allowed allowed = workerClass.allowed();
        List<String> problems = new ArrayList<>();
        gpuResource(monitor, workerClass, problems);
        WorkerPodSpec w = monitor.getSpec() == null ? null : monitor.getSpec().worker;
        if (w == null) {
            return problems;
        }
        String who = who(workerClass);
        if (w.image != null && allowed.images().stream().noneMatch(a -> allows(a, w.image))) {
            problems.add(notAllowed("spec.worker.image", w.image, who));
        }
        if (Boolean.TRUE.equals(w.hostNetwork) && !allowed.hostNetwork()) {
            problems.add(notAllowed("spec.worker.hostNetwork", "true", who));
        }
        if (w.runtimeClassName != null && !workerClass.runtimeClassesAllowed().contains(w.runtimeClassName)) {
            problems.add(notAllowed("spec.worker.runtimeClassName", w.runtimeClassName, who));
        }
        if (w.priorityClassName != null && !workerClass.priorityClassesAllowed().contains(w.priorityClassName)) {
            problems.add(notAllowed("spec.worker.priorityClassName", w.priorityClassName, who));
        }
        if (w.tolerations != null && !w.tolerations.isEmpty() && !allowed.tolerations()) {
            problems.add(notAllowed("spec.worker.tolerations", w.tolerations.size() + " tolerations", who));
        }
        if (!allowed.placement()) {
            if (w.nodeSelector != null && !w.nodeSelector.isEmpty()) {
                problems.add(notAllowed("spec.worker.nodeSelector", w.nodeSelector.toString(), who));
            }
            if (w.affinity != null) {
                problems.add(notAllowed("spec.worker.affinity", "an affinity", who));
            }
        }
        if (w.podAnnotations != null) {
            w.podAnnotations.keySet().stream()
                    .filter(WorkerPolicy::isReserved)
                    .forEach(k -> problems.add("spec.worker.podAnnotations." + k + " is reserved for the operator"
                            + " (annotations under " + RESERVED_PREFIX + " steer its rollout)"));
        }
        if (w.resources != null) {
            resources("requests", w.resources.getRequests(), allowed, who, problems);
            resources("limits", w.resources.getLimits(), allowed, who, problems);
        }
        return problems;
    }

    /** With a MonitorClass, spec.gpu.resourceName may only name the class's GPU resource. */
    private static void gpuResource(StreamMonitor monitor, WorkerClass workerClass, List<String> problems) {
        GpuSpec gpu = monitor.getSpec() == null ? null : monitor.getSpec().gpu;
        if (gpu != null
                && gpu.resourceName != null
                && !workerClass.allowed().anyGpuResource()
                && !gpu.resourceName.equals(workerClass.pod().gpuResourceName())) {
            problems.add("spec.gpu.resourceName must be " + workerClass.pod().gpuResourceName() + " (it is "
                    + gpu.resourceName + "), the GPU resource of " + who(workerClass));
        }
    }

    public static boolean isReserved(String annotation) {
        return annotation != null
                && (annotation.startsWith(RESERVED_PREFIX) || annotation.contains("." + RESERVED_PREFIX));
    }

    private static void resources(
            String kind, Map<String, Quantity> values, WorkerClass.Allowed allowed, String who, List<String> problems) {
        if (values == null) {
            return;
        }
        values.forEach((name, value) -> {
            String field = "spec.worker.resources." + kind + "." + name;
            String ceiling = "cpu".equals(name) ? allowed.maxCpu() : "memory".equals(name) ? allowed.maxMemory() : null;
            Quantity max = ceiling == null ? null : new Quantity(ceiling);
            if (max == null) {
                problems.add(field + " is not allowed: worker pods take cpu and memory from spec.worker.resources"
                        + " (a GPU from spec.gpu)");
            } else if (amount(max, BigDecimal.ZERO).signum() == 0) {
                problems.add(field + " is not allowed: the ceiling of " + who + " is " + max + ", not a positive"
                        + " quantity");
            } else if (amount(value, MAX).compareTo(amount(max, BigDecimal.ZERO)) > 0) {
                problems.add(field + " must be at most " + max + " (it is " + value + "), the ceiling of " + who);
            }
        });
    }

    /** A value that is not a quantity counts as over any ceiling; a ceiling that is not one allows nothing. */
    private static BigDecimal amount(Quantity q, BigDecimal notAQuantity) {
        try {
            return Quantity.getAmountInBytes(q);
        } catch (RuntimeException e) {
            return notAQuantity;
        }
    }

    private static boolean allows(String allowed, String image) {
        return Objects.equals(allowed, image)
                || ((allowed.endsWith("/") || allowed.endsWith(":")) && image.startsWith(allowed));
    }

    private static String notAllowed(String field, String value, String who) {
        return field + " is not allowed (it is " + value + "): " + who + " does not allow it";
    }

    /** Who set the limits, for messages: the MonitorClass, or the operator's settings. */
    private static String who(WorkerClass workerClass) {
        return workerClass.name() == null
                ? "the cluster's admin (the operator's workerPolicy)"
                : "MonitorClass " + workerClass.name();
    }
}
