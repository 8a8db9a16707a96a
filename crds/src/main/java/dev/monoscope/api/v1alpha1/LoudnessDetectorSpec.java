package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Loudness (ITU-R BS.1770-4 / EBU R128): momentary, short-term, integrated loudness and true peak are always measured
 * and exported as metrics; a defect is raised when short-term loudness leaves the window around the target.
 */
public class LoudnessDetectorSpec extends DetectorSpec {

    @JsonPropertyDescription("Target loudness, LUFS. Default -23 (EBU R128).")
    @Min(-70)
    @Max(0)
    @Default("-23")
    public Double targetLufs = -23.0;

    @JsonPropertyDescription("How far short-term loudness may fall under the target, LU. Default 10.")
    @Min(0)
    @Max(60)
    @Default("10")
    public Double belowTargetLu = 10.0;

    @JsonPropertyDescription("How far short-term loudness may rise over the target, LU. Default 5.")
    @Min(0)
    @Max(60)
    @Default("5")
    public Double aboveTargetLu = 5.0;

    @JsonPropertyDescription(
            "Integrated loudness is measured over this rolling window, minutes (a 24/7 channel has no programme "
                    + "end). Default 15.")
    @Min(1)
    @Max(1440)
    @Default("15")
    public Double integrationWindowMinutes = 15.0;

    public LoudnessDetectorSpec() {
        super(5.0);
    }
}
