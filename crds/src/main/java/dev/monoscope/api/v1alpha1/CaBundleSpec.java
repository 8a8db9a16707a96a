package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where a PEM CA bundle comes from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CaBundleSpec {

    @JsonPropertyDescription("A ConfigMap in the StreamMonitor's namespace holding the PEM bundle; it is mounted "
            + "read-only into the worker pods.")
    @Required
    public ConfigMapKeyRef configMapRef;
}
