package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** How far a StreamMonitor's spec.worker may go within a MonitorClass. Unset fields: the operator's settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitorClassAllowed {

    @JsonPropertyDescription("Images spec.worker.image may name: exact, or a prefix ending in '/' or ':'.")
    public List<String> images;

    @JsonPropertyDescription("RuntimeClasses spec.worker.runtimeClassName may name, besides the class's own.")
    public List<String> runtimeClassNames;

    @JsonPropertyDescription("PriorityClasses spec.worker.priorityClassName may name, besides the class's own.")
    public List<String> priorityClassNames;

    @JsonPropertyDescription("Whether spec.worker.hostNetwork may be true (UDP multicast without Multus needs it).")
    public Boolean hostNetwork;

    @JsonPropertyDescription("Whether spec.worker.tolerations may be set (tainted, dedicated nodes).")
    public Boolean tolerations;

    @JsonPropertyDescription("Whether spec.worker.nodeSelector and spec.worker.affinity may be set.")
    public Boolean placement;

    @JsonPropertyDescription("The most CPU spec.worker.resources may request or limit a worker pod to, e.g. \"4\".")
    public String maxCpu;

    @JsonPropertyDescription("The most memory spec.worker.resources may request or limit a worker pod to, e.g. 4Gi.")
    public String maxMemory;
}
