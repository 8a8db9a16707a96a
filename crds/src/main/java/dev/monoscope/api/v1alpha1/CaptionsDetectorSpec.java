package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/**
 * Captions: CEA-608/708 data carried in the video (padding counts as data) that stops for minDurationSeconds, or never
 * comes when required; a DVB subtitle, teletext subtitle or ARIB caption service that the PMT drops. Caption text is
 * not judged.
 */
public class CaptionsDetectorSpec extends DetectorSpec {

    @JsonPropertyDescription("Raise a defect when no CEA-608/708 caption data comes within minDurationSeconds of the "
            + "start, not only when captions that were there stop. Default false.")
    @Default("false")
    public Boolean required = false;

    public CaptionsDetectorSpec() {
        super(10.0);
    }

    public boolean requiredOrDefault() {
        return required != null && required;
    }
}
