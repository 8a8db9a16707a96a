package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Frozen video: the picture stops changing. */
public class FreezeDetectorSpec extends DetectorSpec {

    @JsonPropertyDescription(
            "Mean absolute difference, as a fraction of the sample range, under which two pictures count as the same "
                    + "(freezedetect's noise). Default 0.001.")
    @Min(0)
    @Max(0.1)
    @Default("0.001")
    public Double noiseThreshold = 0.001;

    public FreezeDetectorSpec() {
        super(2.0);
    }
}
