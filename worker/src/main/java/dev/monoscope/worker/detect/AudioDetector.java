package dev.monoscope.worker.detect;

import dev.monoscope.worker.decode.AudioBlock;

/** Looks at every decoded audio block and tells the tracker what it hears. */
public interface AudioDetector extends Detector {

    /** @param time the block's first sample on the media clock, seconds */
    void audio(AudioBlock block, double time, DefectSink tracker);

    /**
     * The input was opened (again) with these audio tracks, by number ({@link AudioBlock#track()}): sound may be
     * expected from each, before its first block. Called after {@link #opened}.
     */
    default void tracksOpened(int[] tracks, double time) {}
}
