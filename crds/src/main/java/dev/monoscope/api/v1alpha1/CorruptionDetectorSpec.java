package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Corrupted pictures: data lost on the way (MPEG-TS), frames the decoder marks as damaged, and damage it does not flag,
 * found in the pixels. Raised at once.
 */
public class CorruptionDetectorSpec extends DetectorSpec {

    @JsonPropertyDescription("Damaged frames closer together than this many seconds are one defect. Default 1.")
    @Min(0)
    @Max(60)
    @Default("1")
    public Double mergeWindowSeconds = 1.0;

    @JsonPropertyDescription(
            "Also look for damage the decoder does not flag (concealed or cleanly decoded garbage) in the "
                    + "pixels. Unset: only on a GPU decoder, which flags nothing (there it is the whole corruption "
                    + "detector with lost MPEG-TS data); true: on the CPU decoder too; false: nowhere.")
    public Boolean pixelAnalysis;

    /** Whether the pixels are searched on a decoder that flags nothing (a GPU's): unless turned off. */
    public boolean pixelAnalysisOrDefault() {
        return pixelAnalysis == null || pixelAnalysis;
    }

    public CorruptionDetectorSpec() {
        super(0.0);
    }
}
