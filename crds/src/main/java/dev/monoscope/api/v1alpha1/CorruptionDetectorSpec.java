package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Corrupted pictures: frames the decoder marks as damaged. Raised at once. */
public class CorruptionDetectorSpec extends DetectorSpec {

    @JsonPropertyDescription("Damaged frames closer together than this many seconds are one defect. Default 1.")
    @Min(0)
    @Max(60)
    @Default("1")
    public Double mergeWindowSeconds = 1.0;

    public CorruptionDetectorSpec() {
        super(0.0);
    }
}
