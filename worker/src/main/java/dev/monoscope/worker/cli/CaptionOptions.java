package dev.monoscope.worker.cli;

import dev.monoscope.api.v1alpha1.CaptionsDetectorSpec;
import picocli.CommandLine.Option;

/** The captions detector's options of {@code monitor}, kept beside the command's own. */
final class CaptionOptions {

    @Option(
            names = "--captions-min-duration",
            paramLabel = "S",
            description = "Seconds without CEA-608/708 caption data before captions are missing (default 10).")
    Double minDuration;

    @Option(
            names = "--captions-required",
            description = "Captions are missing also when none come within that time of the start.")
    boolean required;

    void applyTo(CaptionsDetectorSpec captions, OptionChecks check) {
        captions.minDurationSeconds =
                check.positive(minDuration, captions.minDurationSeconds, "--captions-min-duration");
        captions.required = required || captions.requiredOrDefault();
    }
}
