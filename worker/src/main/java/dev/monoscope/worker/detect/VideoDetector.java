package dev.monoscope.worker.detect;

import dev.monoscope.worker.decode.Picture;

/** Looks at every decoded picture (the decoder's own buffers) and tells the tracker what it sees. */
public interface VideoDetector extends Detector {

    /** @param time the picture's time on the media clock, seconds */
    void picture(Picture picture, double time, DefectSink tracker);

    /** A video packet could not be decoded at all: its picture is missing. */
    default void undecodable(double time, DefectSink tracker) {}

    /** The input ended or was lost: settle what is still waiting for later pictures. */
    default void inputEnded(DefectSink tracker) {}
}
