package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The GPU a worker pod asks for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GpuSpec {

    @JsonPropertyDescription("GPUs per worker pod: 0 or 1. decoder: gpu implies 1. Default 0 (1 with decoder: gpu).")
    @Min(0)
    @Max(1)
    public Integer count;

    @JsonPropertyDescription(
            "The extended resource that names a GPU. Default: the operator's, normally nvidia.com/gpu.")
    public String resourceName;

    @JsonPropertyDescription(
            "When a GPU pod cannot be scheduled for 60 s, recreate it without a GPU and decode on the CPU. Default "
                    + "false.")
    @Default("false")
    public Boolean fallbackToCpu;
}
