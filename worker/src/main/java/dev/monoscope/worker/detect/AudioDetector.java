package dev.monoscope.worker.detect;

import dev.monoscope.worker.decode.AudioBlock;
import dev.monoscope.worker.defect.DefectTracker;

/** Looks at every decoded audio block and tells the tracker what it hears. */
public interface AudioDetector {

    /** @param time the block's first sample on the media clock, seconds */
    void audio(AudioBlock block, double time, DefectTracker tracker);

    /** The input was reopened: forget the previous blocks. */
    default void reset() {
    }
}
