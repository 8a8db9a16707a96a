package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a ConfigMap in the StreamMonitor's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigMapKeyRef {

    public static final String DEFAULT_KEY = "ca.crt";

    @JsonPropertyDescription("Name of the ConfigMap, in the StreamMonitor's namespace.")
    @Required
    @Size(min = 1, max = 253)
    public String name;

    @JsonPropertyDescription("Key of the PEM bundle in the ConfigMap. Default: ca.crt.")
    @Default(DEFAULT_KEY)
    @Size(min = 1, max = 253)
    public String key = DEFAULT_KEY;
}
