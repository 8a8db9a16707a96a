package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Picture/sound offset, measured where the content carries a sync signal (a flash with a beep). Defaults are EBU R37's
 * tolerance: audio at most 40 ms early, 60 ms late.
 */
public class AvSyncDetectorSpec extends DetectorSpec {

    @JsonPropertyDescription(
            "Raised when audio leads the picture by more than this many milliseconds. Default 40 (EBU R37).")
    @Min(0)
    @Max(5000)
    @Default("40")
    public Double maxAudioEarlyMs = 40.0;

    @JsonPropertyDescription(
            "Raised when audio lags the picture by more than this many milliseconds. Default 60 (EBU R37).")
    @Min(0)
    @Max(5000)
    @Default("60")
    public Double maxAudioLateMs = 60.0;

    public AvSyncDetectorSpec() {
        super(2.0);
    }
}
