package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** What every detector has: on/off and how long a condition must last before it is a defect. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class DetectorSpec {

    @JsonPropertyDescription("Whether this detector runs. Defaults to true.")
    @Default("true")
    public Boolean enabled = true;

    @JsonPropertyDescription("Seconds the condition must last before a defect is raised. "
            + "Default 2 for black, freeze, silence, avSync and frameDrop; 5 for loudness; 10 for captions; "
            + "0 (at once) for the others.")
    @Min(0)
    @Max(3600)
    public Double minDurationSeconds;

    protected DetectorSpec(double minDurationSeconds) {
        this.minDurationSeconds = minDurationSeconds;
    }

    public boolean isEnabled() {
        return enabled == null || enabled;
    }
}
