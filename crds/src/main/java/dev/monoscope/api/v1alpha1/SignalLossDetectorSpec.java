package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Signal loss: no data for a while, or the input cannot be opened. Suppresses every other defect. */
public class SignalLossDetectorSpec extends DetectorSpec {

    @JsonPropertyDescription(
            "Seconds without data before the signal counts as lost. For live HLS the worker uses at least 1.5 times "
                    + "the playlist's target duration. Default 3.")
    @Min(0.5)
    @Max(300)
    @Default("3")
    public Double timeoutSeconds = 3.0;

    public SignalLossDetectorSpec() {
        super(0.0);
    }
}
