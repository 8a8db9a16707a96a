package dev.monoscope.worker.monitor;

/**
 * The monitor's media clock (docs/architecture.md, "Media clock"): 0 at the first decoded frame, following the stream's
 * timestamps, monotonic across reconnects and timestamp jumps; time without signal advances by wall-clock time.
 */
final class MediaClock {

    /** A timestamp this far from the latest one is a discontinuity (wrap, splice, restarted encoder). */
    private static final double JUMP_SECONDS = 10;

    private boolean started;
    private boolean framed;
    private boolean rebase;
    private double offset;
    private double latest;
    private long latestWall;

    /** Media time of a frame whose stream timestamp is {@code pts} seconds. */
    double map(double pts) {
        return map(pts, System.nanoTime());
    }

    /** {@link #map(double)} at wall-clock time {@code wall} ({@link System#nanoTime()}). */
    double map(double pts, long wall) {
        if (!started) {
            started = true;
            offset = -pts;
            latestWall = wall;
        } else if (rebase) {
            offset = latest + (wall - latestWall) / 1e9 - pts;
            rebase = false;
            latest = pts + offset; // the time without signal is part of the clock, not a jump
        }
        double t = pts + offset;
        if (t > latest + JUMP_SECONDS || t < latest - JUMP_SECONDS) {
            offset = latest - pts;
            t = latest;
        }
        if (t >= latest || !framed) {
            latest = Math.max(t, latest);
            latestWall = wall;
        }
        framed = true;
        return t;
    }

    /**
     * Media time of a picture whose time is known late: one the decoder lost (known only once later pictures came in
     * or out), or one it held back through a stall and handed out with the keyframe that ended it. A time already past
     * neither moves the clock nor, however far back (a stall of over {@value #JUMP_SECONDS} s after damage), counts as
     * a discontinuity. (A packet the decoder rejects carries a current time: mapped as any frame, it may be the first
     * sign of a jump.)
     */
    double mapPast(double pts) {
        double t = pts + offset;
        return started && !rebase && t <= latest ? t : map(pts);
    }

    /** Sets 0 on the stream's own clock before the first frame (the container's start time, when it knows it). */
    void startAt(double pts) {
        if (!started) {
            started = true;
            offset = -pts;
            latestWall = System.nanoTime();
        }
    }

    /** The input was reopened: the next frame continues from where the clock is by then. */
    void reconnected() {
        if (framed) {
            rebase = true;
        }
    }

    /** The latest media time a frame reached. */
    double latest() {
        return latest;
    }

    /** Now, on the media clock: the latest frame's time plus the wall-clock time since (0 before any frame). */
    double now() {
        return started ? latest + (System.nanoTime() - latestWall) / 1e9 : 0;
    }

    boolean started() {
        return started;
    }
}
