package dev.monoscope.worker.detect;

import dev.monoscope.worker.decode.Picture;

/**
 * The looks a freeze run takes for motion its block means cannot see ({@link FreezeDetector}): from
 * {@value #MOTION_AFTER} s into the run, every {@value #MOTION_EVERY} s, a few textured blocks of a reference picture
 * are looked for around where they were ({@link MotionCheck}), a pan or zoom of the whole picture is fitted to its
 * change ({@link GlobalMotion}: a smooth picture has no texture to match), and one small part of the picture that
 * changed ({@link LocalChange}: a channel bug turning) counts too, as does colour that moved where luma is flat
 * ({@link ChromaChange}). When none moved, the pan and zoom fit is also
 * tried from a picture before the reference ({@link #start}): the longer baseline sees a slower zoom, and one that an
 * encoder held still from about the reference on.
 */
final class RunMotion {

    /** What a look found. */
    enum Look {
        /** No look was due. */
        NONE,
        /** Nothing moved. */
        STILL,
        /** The picture moved since the reference. */
        MOVED,
        /** Nothing moved since the reference, but the whole picture did since the picture {@link #start} took. */
        MOVED_SINCE_START
    }

    /** How far into a run motion is first looked for (seconds): before, a pan has not moved far enough to tell. */
    static final double MOTION_AFTER = 1.0;
    /** How often motion is looked for after that (seconds). */
    static final double MOTION_EVERY = 0.5;

    private final MotionCheck blocks = new MotionCheck();
    private final GlobalMotion global = new GlobalMotion();
    private final LocalChange local;
    private final ChromaChange chroma = new ChromaChange();
    private boolean referenced;
    private double lookedAt;

    /** @param samples how many luma samples the freeze detector's grid has per picture, about (0: every one) */
    RunMotion(int samples) {
        local = new LocalChange(samples * 4);
    }

    /** A new run: nothing to compare with yet. */
    void restart() {
        referenced = false;
        global.forgetStart();
    }

    /** Whether the run has its reference picture yet. */
    boolean referenced() {
        return referenced;
    }

    /**
     * Takes {@code p}, a picture near the run's start, as a second baseline for the fit of a pan or zoom: a slow zoom
     * that an encoder held still from about the reference on (a starved HEVC encoder held one for 0.7 s, then
     * re-encoded it at a keyframe) shows only against a picture before ({@link Look#MOVED_SINCE_START}).
     */
    void start(Picture p) {
        global.start(p);
    }

    /** The run's start moved past the picture taken by {@link #start}. */
    void forgetStart() {
        global.forgetStart();
    }

    /** Takes {@code p}, shown at {@code time}, as the reference the looks compare with. */
    void reference(Picture p, double time) {
        blocks.reference(p);
        global.reference(p);
        local.reference(p);
        chroma.reference(p);
        referenced = true;
        lookedAt = time;
    }

    /** The held picture was re-encoded (a keyframe, a refinement): small parts may differ more from before it. */
    void reEncoded(Picture p) {
        local.keyframe(p);
    }

    /** Looks at {@code p} for motion, if a look is due (in a run that started at {@code runStart}). */
    Look look(Picture p, double time, double runStart) {
        if (time - runStart < MOTION_AFTER - 1e-6 || time - lookedAt < MOTION_EVERY - 1e-6) {
            return Look.NONE;
        }
        lookedAt = time;
        if (blocks.moved(p) || global.moved(p) || local.changed(p) || chroma.changed(p)) {
            return Look.MOVED;
        }
        return global.movedSinceStart() ? Look.MOVED_SINCE_START : Look.STILL;
    }

    /** When the run was last looked at, or its reference taken. */
    double lookedAt() {
        return lookedAt;
    }
}
