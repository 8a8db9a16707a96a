package dev.monoscope.api.v1alpha1;

/**
 * Format changes mid-stream: resolution, codec, frame rate, channel layout or sample rate. Reported as an event
 * (severity info), not as an error.
 */
public class FormatChangeDetectorSpec extends DetectorSpec {

    public FormatChangeDetectorSpec() {
        super(0.0);
    }
}
