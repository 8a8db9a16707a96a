package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Black video, with FFmpeg blackdetect's semantics. */
public class BlackDetectorSpec extends DetectorSpec {

    @JsonPropertyDescription(
            "Fraction of luma samples that must be black for the picture to count as black (blackdetect's pic_th). "
                    + "Default 0.98.")
    @Min(0.5)
    @Max(1)
    @Default("0.98")
    public Double pictureBlackRatio = 0.98;

    @JsonPropertyDescription(
            "A luma sample is black at or under this fraction of the nominal range (blackdetect's pix_th). Default "
                    + "0.10.")
    @Min(0)
    @Max(0.5)
    @Default("0.1")
    public Double pixelBlackThreshold = 0.10;

    public BlackDetectorSpec() {
        super(2.0);
    }
}
