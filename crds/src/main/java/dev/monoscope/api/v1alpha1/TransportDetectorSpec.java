package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * MPEG-TS transport errors (ETSI TR 101 290 priority 1 and 2 checks) on inputs whose packets the worker reads itself;
 * the check's name is the defect's subtype.
 */
public class TransportDetectorSpec extends DetectorSpec {

    @JsonPropertyDescription("Errors of one check closer together than this many seconds are one defect. Default 1.")
    @Min(0)
    @Max(60)
    @Default("1")
    public Double mergeWindowSeconds = 1.0;

    public TransportDetectorSpec() {
        super(0.0);
    }
}
