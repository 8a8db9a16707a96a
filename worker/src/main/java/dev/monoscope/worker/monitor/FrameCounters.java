package dev.monoscope.worker.monitor;

import dev.monoscope.worker.detect.loudness.LoudnessLevels;
import dev.monoscope.worker.report.ReportAudioLevels;
import dev.monoscope.worker.report.ReportState;

/** Frames decoded, decode errors, reconnections and audio levels, as the report's counters show them. */
final class FrameCounters {

    /** Every audio track's levels, null when loudness is not measured. */
    private final LoudnessLevels loudness;

    long videoFrames;
    long audioFrames;
    long reconnects;
    /** Decode errors of the connections closed so far. */
    long decodeErrorsBefore;

    FrameCounters(LoudnessLevels loudness) {
        this.loudness = loudness;
    }

    long frames() {
        return videoFrames + audioFrames;
    }

    /**
     * Writes the counters and the media time into the report (no version bump).
     *
     * @param currentDecoderErrors the decode errors of the connection open now, 0 when none is
     */
    void publish(ReportState state, double media, long currentDecoderErrors) {
        long frames = videoFrames + audioFrames;
        long errors = decodeErrorsBefore + currentDecoderErrors;
        long v = videoFrames;
        long a = audioFrames;
        long rc = reconnects;
        state.counters(r -> {
            r.counters.put("framesDecoded", frames);
            r.counters.put("videoFrames", v);
            r.counters.put("audioFrames", a);
            r.counters.put("decodeErrors", errors);
            r.counters.put("reconnects", rc);
            r.mediaTime = Math.round(media * 1000) / 1000.0;
        });
        ReportAudioLevels.publish(state, loudness);
    }
}
