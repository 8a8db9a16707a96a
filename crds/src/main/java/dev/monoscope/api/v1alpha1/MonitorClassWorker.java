package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** What the worker pods of a MonitorClass get. Unset fields: the operator's settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitorClassWorker {

    @JsonPropertyDescription("The worker image. Default: the operator's.")
    public String image;

    @JsonPropertyDescription("RuntimeClass of CPU worker pods. Default: the operator's (none).")
    public String runtimeClassName;

    @JsonPropertyDescription("RuntimeClass of GPU worker pods. Default: the operator's (nvidia).")
    public String gpuRuntimeClassName;

    @JsonPropertyDescription("The extended resource a GPU worker pod asks for. Default: the operator's "
            + "(nvidia.com/gpu). A StreamMonitor's spec.gpu.resourceName may only name this one.")
    public String gpuResourceName;

    @JsonPropertyDescription("PriorityClass of worker pods. Default: none.")
    public String priorityClassName;

    @JsonPropertyDescription("Node labels worker pods must match. A StreamMonitor's spec.worker.nodeSelector replaces "
            + "them when allowed.placement is true.")
    public Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of worker pods (GPU pods also tolerate nvidia.com/gpu:NoSchedule).")
    @SchemaFrom(type = KubernetesTypeSchemas.Tolerations.class)
    public List<Toleration> tolerations;

    @JsonPropertyDescription("Scheduling affinity of worker pods.")
    @SchemaFrom(type = KubernetesTypeSchemas.Affinity.class)
    public Affinity affinity;
}
