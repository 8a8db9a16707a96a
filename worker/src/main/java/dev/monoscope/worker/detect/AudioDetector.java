package dev.monoscope.worker.detect;

import dev.monoscope.api.worker.StreamInfo;
import dev.monoscope.worker.decode.AudioBlock;
import dev.monoscope.worker.defect.DefectTracker;

/** Looks at every decoded audio block and tells the tracker what it hears. */
public interface AudioDetector {

    /** @param time the block's first sample on the media clock, seconds */
    void audio(AudioBlock block, double time, DefectTracker tracker);

    /**
     * The input was opened (again): what it carries. Called once per opening, before its first frame, and once per
     * detector even when it is both a video and an audio detector.
     *
     * @param time where the new connection starts on the media clock, seconds
     */
    default void opened(StreamInfo info, double time, DefectTracker tracker) {}

    /** The input was reopened: forget the previous blocks. */
    default void reset() {}
}
