package dev.monoscope.worker.detect;

/**
 * Video timestamp discontinuities (a splice, a restarted encoder), read by the metrics: how many there were
 * ({@code monoscope_pts_discontinuities_total}) and the size of the last one ({@code monoscope_pts_last_jump_seconds},
 * signed: negative for a jump back). Not defects: no picture need be missing. Written on the decode thread, read at
 * scrape time.
 */
public final class TimestampJumps {

    private volatile long count;
    private volatile double lastJumpSeconds;

    /** The timestamps jumped by {@code seconds}. */
    void jumped(double seconds) {
        lastJumpSeconds = seconds;
        count++; // one writer: the decode thread
    }

    public long count() {
        return count;
    }

    public double lastJumpSeconds() {
        return lastJumpSeconds;
    }
}
