package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** How worker pods are run. Unset fields take the operator's defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerPodSpec {

    @JsonPropertyDescription("The worker image. Default: the operator's.")
    public String image;

    @JsonPropertyDescription(
            "CPU and memory requests and limits of each worker pod. FFmpeg's decoding threads follow the CPU limit.")
    @SchemaFrom(type = KubernetesTypeSchemas.ResourceRequirements.class)
    public ResourceRequirements resources;

    @JsonPropertyDescription("Node labels a worker pod must match.")
    public Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of worker pods (GPU pods also tolerate nvidia.com/gpu:NoSchedule).")
    @SchemaFrom(type = KubernetesTypeSchemas.Tolerations.class)
    public List<Toleration> tolerations;

    @JsonPropertyDescription("Scheduling affinity of worker pods.")
    @SchemaFrom(type = KubernetesTypeSchemas.Affinity.class)
    public Affinity affinity;

    @JsonPropertyDescription("RuntimeClass of worker pods (e.g. nvidia for GPU pods). Default: the operator's.")
    public String runtimeClassName;

    @JsonPropertyDescription("PriorityClass of worker pods.")
    public String priorityClassName;

    @JsonPropertyDescription(
            "Run worker pods on the host network (UDP/RTP multicast needs it, or a Multus attachment through "
                    + "podAnnotations).")
    public Boolean hostNetwork;

    @JsonPropertyDescription("Annotations added to worker pods (e.g. k8s.v1.cni.cncf.io/networks for Multus).")
    public Map<String, String> podAnnotations;
}
