package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Frame drops: fewer pictures than the nominal frame rate, or stutter (repeated or skipped pictures). */
public class FrameDropDetectorSpec extends DetectorSpec {

    @JsonPropertyDescription(
            "Raised when the delivered frame rate is under this fraction of the nominal one. Default 0.9.")
    @Min(0)
    @Max(1)
    @Default("0.9")
    public Double minRateRatio = 0.9;

    public FrameDropDetectorSpec() {
        super(2.0);
    }
}
