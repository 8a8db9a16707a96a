package dev.monoscope.operator.pods;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.WorkerPodSpec;
import dev.monoscope.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Quantity;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The admin's allow-list for what a StreamMonitor's author may choose about its worker pods (the operator's
 * {@code monoscope.policy.*} settings, from the chart's {@code workerPolicy} values). A StreamMonitor is not a pod
 * in disguise: image, hostNetwork, runtimeClass, priorityClass, tolerations and placement are honoured only as far
 * as allowed, resources only up to a ceiling, and the operator's own {@code monoscope.dev/} annotations never.
 */
@Singleton
public class WorkerPolicy {

    /** Annotations under this prefix steer the operator's rollout: never taken from a StreamMonitor. */
    public static final String RESERVED_PREFIX = "monoscope.dev/";

    private final OperatorConfig.Policy policy;
    private final List<String> runtimeClasses = new ArrayList<>();
    private final Quantity maxCpu;
    private final Quantity maxMemory;

    public WorkerPolicy(OperatorConfig config) {
        this.policy = config.policy();
        runtimeClasses.add(config.gpu().runtimeClassName());
        config.worker().runtimeClassName().ifPresent(runtimeClasses::add);
        policy.allowedRuntimeClasses().ifPresent(runtimeClasses::addAll);
        this.maxCpu = new Quantity(policy.maxCpu());
        this.maxMemory = new Quantity(policy.maxMemory());
    }

    /** Every choice of spec.worker beyond what is allowed, each naming its field; empty when all are allowed. */
    public List<String> problems(StreamMonitor monitor) {
        WorkerPodSpec w = monitor.getSpec() == null ? null : monitor.getSpec().worker;
        List<String> problems = new ArrayList<>();
        if (w == null) {
            return problems;
        }
        if (w.image != null && policy.allowedImages().orElse(List.of()).stream().noneMatch(a -> allows(a, w.image))) {
            problems.add(notAllowed("spec.worker.image", w.image));
        }
        if (Boolean.TRUE.equals(w.hostNetwork) && !policy.allowHostNetwork()) {
            problems.add(notAllowed("spec.worker.hostNetwork", "true"));
        }
        if (w.runtimeClassName != null && !runtimeClasses.contains(w.runtimeClassName)) {
            problems.add(notAllowed("spec.worker.runtimeClassName", w.runtimeClassName));
        }
        if (w.priorityClassName != null
                && !policy.allowedPriorityClasses().orElse(List.of()).contains(w.priorityClassName)) {
            problems.add(notAllowed("spec.worker.priorityClassName", w.priorityClassName));
        }
        if (w.tolerations != null && !w.tolerations.isEmpty() && !policy.allowTolerations()) {
            problems.add(notAllowed("spec.worker.tolerations", w.tolerations.size() + " tolerations"));
        }
        if (!policy.allowPlacement()) {
            if (w.nodeSelector != null && !w.nodeSelector.isEmpty()) {
                problems.add(notAllowed("spec.worker.nodeSelector", w.nodeSelector.toString()));
            }
            if (w.affinity != null) {
                problems.add(notAllowed("spec.worker.affinity", "an affinity"));
            }
        }
        if (w.podAnnotations != null) {
            w.podAnnotations.keySet().stream()
                    .filter(WorkerPolicy::isReserved)
                    .forEach(k -> problems.add("spec.worker.podAnnotations." + k + " is reserved for the operator"
                            + " (annotations under " + RESERVED_PREFIX + " steer its rollout)"));
        }
        if (w.resources != null) {
            resources("requests", w.resources.getRequests(), problems);
            resources("limits", w.resources.getLimits(), problems);
        }
        return problems;
    }

    public static boolean isReserved(String annotation) {
        return annotation != null
                && (annotation.startsWith(RESERVED_PREFIX) || annotation.contains("." + RESERVED_PREFIX));
    }

    private void resources(String kind, Map<String, Quantity> values, List<String> problems) {
        if (values == null) {
            return;
        }
        values.forEach((name, value) -> {
            String field = "spec.worker.resources." + kind + "." + name;
            Quantity max = "cpu".equals(name) ? maxCpu : "memory".equals(name) ? maxMemory : null;
            if (max == null) {
                problems.add(field + " is not allowed: worker pods take cpu and memory from spec.worker.resources"
                        + " (a GPU from spec.gpu)");
            } else if (amount(value).compareTo(amount(max)) > 0) {
                problems.add(field + " must be at most " + max + " (it is " + value + "), the ceiling the cluster's"
                        + " admin set");
            }
        });
    }

    private static BigDecimal amount(Quantity q) {
        try {
            return Quantity.getAmountInBytes(q);
        } catch (RuntimeException e) {
            return BigDecimal.valueOf(Long.MAX_VALUE); // not a quantity: over any ceiling
        }
    }

    private static boolean allows(String allowed, String image) {
        return Objects.equals(allowed, image)
                || ((allowed.endsWith("/") || allowed.endsWith(":")) && image.startsWith(allowed));
    }

    private static String notAllowed(String field, String value) {
        return field + " is not allowed (it is " + value + "): the cluster's admin has not allowed it for"
                + " StreamMonitors";
    }
}
