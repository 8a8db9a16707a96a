package dev.monoscope.worker.transport;

/**
 * The stream's own time, from the PCRs of the first PID seen carrying them, and bytes since the last PCR at the rate
 * between the last two: so that a file gives the same verdicts as the same stream live.
 */
final class StreamClock {

    /** PCR values wrap at 2^33 × 300 ticks of 27 MHz. */
    static final long PCR_WRAP = (1L << 33) * 300;

    static final long PCR_HZ = 27_000_000L;
    /** TR 101 290: over 100 ms between PCRs (or backwards) without the indicator is a discontinuity. */
    static final long PCR_DISCONTINUITY_TICKS = 100 * PCR_HZ / 1000;

    private int clockPid;
    private long clockPcr;
    private long clockPos;
    private double clockTime;
    private double byteRate;
    /** The last interval between PCRs, seconds: bytes after a PCR are timed no further than that (VBR bursts). */
    private double clockStep;
    /** Across a segment boundary only a PCR that follows on within 100 ms advances the clock. */
    private boolean freshClock;

    private double now;

    void reset() {
        freshClock = false;
        clockPid = -1;
        clockPcr = -1;
        clockPos = 0;
        clockTime = 0;
        byteRate = 0;
        clockStep = 0;
        now = 0;
    }

    /** A new segment starts (HLS). */
    void segmentStarted() {
        freshClock = true;
    }

    /** Stream seconds since the analysis began, as far as read. */
    double now() {
        return now;
    }

    /** Whether the clock runs: two PCRs have been seen. */
    boolean running() {
        return byteRate > 0;
    }

    /** A packet starts at byte {@code pos}: the clock moves on to it. */
    void packetAt(long pos) {
        if (byteRate > 0) {
            now = Math.max(now, clockTime + sinceClock(pos));
        }
    }

    /** The stream clock follows the first PID seen carrying PCRs. */
    void pcr(int pid, long pcr, boolean discontinuity, long pos) {
        if (clockPid < 0) {
            clockPid = pid;
        }
        if (pid != clockPid) {
            return;
        }
        double t = now;
        // across a segment boundary only a PCR that follows on within 100 ms advances the clock
        long limit = freshClock ? PCR_DISCONTINUITY_TICKS : PCR_HZ;
        freshClock = false;
        if (clockPcr >= 0) {
            long d = Math.floorMod(pcr - clockPcr, PCR_WRAP);
            if (!discontinuity && d > 0 && d <= limit) {
                double seconds = (double) d / PCR_HZ;
                byteRate = (pos - clockPos) / seconds;
                clockStep = seconds;
                t = clockTime + seconds;
            }
        }
        clockPcr = pcr;
        clockPos = pos;
        clockTime = t;
        now = Math.max(now, t);
    }

    /** Where a byte of the stream lies on its PCR clock, seconds; NaN before the first PCR. */
    double pcrSeconds(long pos) {
        if (clockPcr < 0) {
            return Double.NaN;
        }
        return (double) clockPcr / PCR_HZ + sinceClock(pos);
    }

    /** Seconds from the last PCR to a byte, at the rate between the last two PCRs, at most their interval. */
    private double sinceClock(long pos) {
        return byteRate > 0 ? Math.min((pos - clockPos) / byteRate, clockStep) : 0;
    }
}
