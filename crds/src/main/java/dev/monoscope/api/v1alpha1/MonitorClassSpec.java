package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** A MonitorClass's settings. Unset fields take the operator's own settings (the chart's worker values). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitorClassSpec {

    @JsonPropertyDescription("The namespaces whose StreamMonitors may use this class, by namespace label (the "
            + "label kubernetes.io/metadata.name holds the namespace's name). Unset or empty: every namespace.")
    @SchemaFrom(type = KubernetesTypeSchemas.LabelSelector.class)
    public LabelSelector namespaceSelector;

    @JsonPropertyDescription("What the worker pods of this class's StreamMonitors get.")
    public MonitorClassWorker worker;

    @JsonPropertyDescription("How far a StreamMonitor's spec.worker may go. A StreamMonitor that asks for more is not "
            + "run: Ready=False, reason InvalidSpec, the field named.")
    public MonitorClassAllowed allowed;
}
