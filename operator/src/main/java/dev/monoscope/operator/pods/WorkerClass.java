package dev.monoscope.operator.pods;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.v1alpha1.MonitorClass;
import dev.monoscope.api.v1alpha1.MonitorClassAllowed;
import dev.monoscope.api.v1alpha1.MonitorClassWorker;
import dev.monoscope.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an admin decided for a StreamMonitor's worker pods: what they get ({@link PodDefaults}) and how far the
 * StreamMonitor's own {@code spec.worker} may go ({@link Allowed}). From its MonitorClass, each field the class
 * leaves unset taken from the operator's own settings ({@code monoscope.worker.*}, {@code monoscope.policy.*}).
 *
 * @param name the MonitorClass's name; null when no class applies (the operator's settings alone)
 */
public record WorkerClass(String name, PodDefaults pod, Allowed allowed) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What worker pods get unless their StreamMonitor's spec.worker chooses otherwise. */
    public record PodDefaults(
            String image,
            String runtimeClassName,
            String gpuRuntimeClassName,
            String gpuResourceName,
            String priorityClassName,
            Map<String, String> nodeSelector,
            List<Toleration> tolerations,
            Affinity affinity) {}

    /**
     * How far spec.worker may go. {@code anyGpuResource}: spec.gpu.resourceName may name any resource (no class
     * applies), else only the class's GPU resource.
     */
    public record Allowed(
            List<String> images,
            boolean hostNetwork,
            List<String> runtimeClassNames,
            List<String> priorityClassNames,
            boolean tolerations,
            boolean placement,
            String maxCpu,
            String maxMemory,
            boolean anyGpuResource) {}

    /** The operator's own settings; a placement setting that does not parse stops the operator at start-up. */
    public static WorkerClass fromConfig(OperatorConfig config) {
        OperatorConfig.Worker worker = config.worker();
        OperatorConfig.Policy policy = config.policy();
        PodDefaults pod = new PodDefaults(
                worker.image(),
                worker.runtimeClassName().orElse(null),
                config.gpu().runtimeClassName(),
                config.gpu().resourceName(),
                null,
                worker.nodeSelector()
                        .map(json -> parse("node-selector", json, new TypeReference<Map<String, String>>() {}))
                        .orElse(null),
                worker.tolerations()
                        .map(json -> parse("tolerations", json, new TypeReference<List<Toleration>>() {}))
                        .orElse(null),
                worker.affinity()
                        .map(json -> parse("affinity", json, new TypeReference<Affinity>() {}))
                        .orElse(null));
        Allowed allowed = new Allowed(
                policy.allowedImages().orElse(List.of()),
                policy.allowHostNetwork(),
                policy.allowedRuntimeClasses().orElse(List.of()),
                policy.allowedPriorityClasses().orElse(List.of()),
                policy.allowTolerations(),
                policy.allowPlacement(),
                policy.maxCpu(),
                policy.maxMemory(),
                true);
        return new WorkerClass(null, pod, allowed);
    }

    /** This (the operator's settings) overlaid with what the MonitorClass sets. */
    public WorkerClass overlaidWith(MonitorClass monitorClass) {
        MonitorClassWorker w = monitorClass.getSpec() == null || monitorClass.getSpec().worker == null
                ? new MonitorClassWorker()
                : monitorClass.getSpec().worker;
        MonitorClassAllowed a = monitorClass.getSpec() == null || monitorClass.getSpec().allowed == null
                ? new MonitorClassAllowed()
                : monitorClass.getSpec().allowed;
        PodDefaults p = new PodDefaults(
                or(w.image, pod.image()),
                or(w.runtimeClassName, pod.runtimeClassName()),
                or(w.gpuRuntimeClassName, pod.gpuRuntimeClassName()),
                or(w.gpuResourceName, pod.gpuResourceName()),
                or(w.priorityClassName, pod.priorityClassName()),
                or(w.nodeSelector, pod.nodeSelector()),
                or(w.tolerations, pod.tolerations()),
                or(w.affinity, pod.affinity()));
        Allowed x = new Allowed(
                or(a.images, allowed.images()),
                or(a.hostNetwork, allowed.hostNetwork()),
                or(a.runtimeClassNames, allowed.runtimeClassNames()),
                or(a.priorityClassNames, allowed.priorityClassNames()),
                or(a.tolerations, allowed.tolerations()),
                or(a.placement, allowed.placement()),
                or(a.maxCpu, allowed.maxCpu()),
                or(a.maxMemory, allowed.maxMemory()),
                false);
        return new WorkerClass(monitorClass.getMetadata().getName(), p, x);
    }

    /** The RuntimeClasses spec.worker.runtimeClassName may name: the class's own CPU and GPU ones, and the allowed. */
    public List<String> runtimeClassesAllowed() {
        List<String> names = new ArrayList<>(allowed.runtimeClassNames());
        names.add(pod.gpuRuntimeClassName());
        if (pod.runtimeClassName() != null) {
            names.add(pod.runtimeClassName());
        }
        return names;
    }

    /** The PriorityClasses spec.worker.priorityClassName may name: the class's own and the allowed. */
    public List<String> priorityClassesAllowed() {
        List<String> names = new ArrayList<>(allowed.priorityClassNames());
        if (pod.priorityClassName() != null) {
            names.add(pod.priorityClassName());
        }
        return names;
    }

    private static <T> T or(T value, T otherwise) {
        return value != null ? value : otherwise;
    }

    private static <T> T parse(String key, String json, TypeReference<T> type) {
        if (json.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "monoscope.worker." + key + " is not valid JSON for a pod's " + key + ": " + e.getOriginalMessage(),
                    e);
        }
    }
}
