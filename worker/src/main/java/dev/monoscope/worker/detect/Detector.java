package dev.monoscope.worker.detect;

import dev.monoscope.api.worker.StreamInfo;

/** A detector of one monitor: a {@link VideoDetector}, an {@link AudioDetector} or both. */
public interface Detector {

    /**
     * The input was opened (again): what it carries. Called once per opening and detector, before its first frame.
     *
     * @param time where the new connection starts on the media clock, seconds
     */
    default void opened(StreamInfo info, double time, DefectSink tracker) {}

    /** The input was reopened: forget the previous pictures and sound. */
    default void reset() {}
}
