package dev.monoscope.worker.detect;

import dev.monoscope.api.worker.StreamInfo;
import dev.monoscope.worker.decode.Picture;
import dev.monoscope.worker.defect.DefectTracker;

/** Looks at every decoded picture (the decoder's own buffers) and tells the tracker what it sees. */
public interface VideoDetector {

    /** @param time the picture's time on the media clock, seconds */
    void picture(Picture picture, double time, DefectTracker tracker);

    /** A video packet could not be decoded at all: its picture is missing. */
    default void undecodable(double time, DefectTracker tracker) {}

    /** The input ended or was lost: settle what is still waiting for later pictures. */
    default void inputEnded(DefectTracker tracker) {}

    /**
     * The input was opened (again): what it carries. Called once per opening, before its first frame, and once per
     * detector even when it is both a video and an audio detector.
     *
     * @param time where the new connection starts on the media clock, seconds
     */
    default void opened(StreamInfo info, double time, DefectTracker tracker) {}

    /** The input was reopened: forget the previous pictures. */
    default void reset() {}
}
