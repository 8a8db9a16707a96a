package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One key of a Secret in the StreamMonitor's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {

    @JsonPropertyDescription("Name of the Secret, in the StreamMonitor's namespace.")
    @Required
    public String name;

    @JsonPropertyDescription("Key in the Secret whose value is used.")
    @Required
    public String key;
}
