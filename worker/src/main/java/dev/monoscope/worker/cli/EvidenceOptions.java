package dev.monoscope.worker.cli;

import dev.monoscope.worker.monitor.MonitorSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where {@code monitor} saves the evidence of defects, and how much of it. */
final class EvidenceOptions {

    @Option(
            names = "--evidence-dir",
            paramLabel = "DIR",
            description = "Save a JPEG of the first frame of every video defect here, and a clip (MPEG-TS and MP4, "
                    + "no re-encoding) from the keyframe before start - 5 s to start + 5 s of every video or audio "
                    + "defect.")
    Path dir;

    @Option(
            names = "--evidence-max-mb",
            paramLabel = "MB",
            description = "Keep the evidence under this many MiB: the oldest files go first (default 1024).")
    Integer maxMb;

    void applyTo(MonitorSettings s, OptionChecks check) {
        s.evidenceDir = dir;
        if (maxMb != null) {
            s.evidenceMaxBytes = check.atLeastOne(maxMb, 1, "--evidence-max-mb") * (1L << 20);
        }
    }
}
