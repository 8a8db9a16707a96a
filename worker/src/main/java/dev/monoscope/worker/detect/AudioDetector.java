package dev.monoscope.worker.detect;

import dev.monoscope.worker.decode.AudioBlock;

/** Looks at every decoded audio block and tells the tracker what it hears. */
public interface AudioDetector extends Detector {

    /** @param time the block's first sample on the media clock, seconds */
    void audio(AudioBlock block, double time, DefectSink tracker);
}
