package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Clipped audio: runs of samples at or over full scale, in many places within a second. */
public class ClippingDetectorSpec extends DetectorSpec {

    @JsonPropertyDescription("Consecutive samples at or over full scale that make one clipped place. Default 3.")
    @Min(1)
    @Max(1000)
    @Default("3")
    public Integer minConsecutiveSamples = 3;

    @JsonPropertyDescription(
            "Clipped places within one second of one channel that make the second clipped. Default 10.")
    @Min(1)
    @Max(10000)
    @Default("10")
    public Integer minPlacesPerSecond = 10;

    public ClippingDetectorSpec() {
        super(0.0);
    }
}
