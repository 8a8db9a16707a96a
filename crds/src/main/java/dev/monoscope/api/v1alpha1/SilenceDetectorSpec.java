package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Silence on every channel, or on one channel of the front pair while the other plays (a lost channel). LFE and
 * surround channels are silent in much ordinary programme, so their silence alone is none. Sound missing while the
 * pictures play on is silence too.
 */
public class SilenceDetectorSpec extends DetectorSpec {

    @JsonPropertyDescription("A channel is silent while its level stays under this many dBFS. Default -60.")
    @Min(-120)
    @Max(0)
    @Default("-60")
    public Double thresholdDb = -60.0;

    public SilenceDetectorSpec() {
        super(2.0);
    }
}
