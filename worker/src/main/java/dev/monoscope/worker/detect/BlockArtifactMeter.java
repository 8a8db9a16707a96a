package dev.monoscope.worker.detect;

import dev.monoscope.worker.decode.Picture;

/**
 * Damage the decoder does not flag, seen in the pixels: pictures predicted from a damaged picture carry misplaced
 * macroblocks, whose edges sit on the 16-pixel coding grid and stand out against the texture beside them. Counts the
 * grid edges that are steps (a jump across the grid line much larger than the gradients on either side of it) and
 * the cells boxed in by such steps on three or four sides, and compares them with the same counts in the first
 * pictures after the last keyframe (the stream's own level for this content). Damage builds up from picture to
 * picture until the next keyframe repairs it, so a picture counts as damaged only after {@value #CONFIRM} pictures in
 * a row well over that level; a scene cut or fade (a global change of the picture) takes a new level instead.
 * Grain drowns those steps; there the concealment itself shows: a decoder conceals a damaged predicted picture by
 * copying the previous one over what it lost, so in moving content that picture stands still for one picture while
 * the stream's own recent change says it should have moved, and the content moves on from it a step behind.
 * Reads about 17 luma samples per cell on at most about {@value #MAX_CELLS} cells (whole cell rows), whatever the
 * picture size; 8- and 16-bit samples alike.
 */
public final class BlockArtifactMeter {

    static final int CELL = 16;
    static final int MAX_CELLS = 1000;
    /** Pictures from a keyframe (or a cut) whose counts make the level. */
    static final int LEVEL_PICTURES = 4;

    static final int CONFIRM = 3;
    /** The step fraction must exceed the level by this factor plus {@link #STEP_MARGIN}… */
    static final double STEP_FACTOR = 1.15;

    static final double STEP_MARGIN = 0.005;
    /** …and the boxed-cell fraction the level by this much. */
    static final double BOXED_MARGIN = 0.003;
    /**
     * A cut, fade or flash (fraction of the range): the cell centres changed this much on average since the previous
     * picture, or the mean luma moved this far from the level's pictures.
     */
    static final double GLOBAL_CHANGE = 0.08;
    /** Without a keyframe for this long (intra refresh), the level is taken again. */
    static final double LEVEL_MAX_AGE = 10;
    /**
     * A stall: a predicted picture whose cell centres changed less than this share of the stream's recent change
     * (the mean over up to {@value #MOTION_PICTURES} predicted pictures since the last cut, at least
     * {@value #MOTION_MIN_PICTURES} of them), while that change is over {@link #MOTION_FLOOR} of the range.
     */
    static final double STALL_RATIO = 0.3;

    static final double MOTION_FLOOR = 0.006;
    static final int MOTION_PICTURES = 8;
    static final int MOTION_MIN_PICTURES = 4;
    /**
     * A stall keeps some of its picture moving (the part decoded before the damage): at least this share of the cells
     * changed by {@value #MOVED_LEVELS}/255 of the range or more; a repeated picture (an exact copy) is no damage.
     */
    static final double MOVED_MIN = 0.01;

    static final int MOVED_LEVELS = 4;
    /**
     * The picture after a stall changes about as much as the recent change, between these shares of it: less is a
     * freeze; more is a picture the source repeated (frame-rate conversion, a dropped picture shown twice), after
     * which the content catches up by two steps, where a concealed one leaves the content a step behind.
     */
    static final double RESUME_MIN = 0.6;

    static final double RESUME_MAX = 1.3;
    /** A stall counts only after this many moving predicted pictures without one: a cadence repeats pictures often. */
    static final int STEADY_PICTURES = 8;

    private int width = -1;
    private int height = -1;
    private int cols;
    private int rows;
    private int rowStep;
    private byte[] sides = new byte[0];
    private int[] centres = new int[0];
    /** Per column: whether the grid line below the last cell row read is a step. */
    private boolean[] below = new boolean[0];
    /**
     * Luma rows copied for one cell row: the two that cross its vertical grid lines, the four around a horizontal
     * grid line, the centres'.
     */
    private byte[][] copied = new byte[0][];

    private double stepFraction;
    private double boxedFraction;
    private double meanChange;
    /** Share of the cells whose centre changed by {@value #MOVED_LEVELS}/255 of the range or more. */
    private double movedFraction;

    private double mean;

    private int levelCount;
    private double levelSteps;
    private double levelBoxed;
    private double levelMean;
    private double levelTime = Double.NEGATIVE_INFINITY;
    private int over;
    /** Centre changes of the last predicted pictures since the last cut (a ring), and how many it holds. */
    private final double[] motion = new double[MOTION_PICTURES];

    private int motionCount;
    /** Pictures in a row that stalled, up to the previous one. */
    private int stalled;
    /** Moving predicted pictures in a row without a stall before the last stall (or up to now). */
    private int steady;

    private int steadyBeforeStall;
    /** The last damaged verdict came from a stall: the damage began one picture earlier. */
    private boolean fromStall;

    /**
     * Whether this picture shows block damage against the stream's level, or follows a concealed picture (then
     * {@link #beganBefore()} is true). Call for every picture in order.
     */
    public boolean damaged(Picture p, double time) {
        boolean resized = measure(p);
        double range = p.maxValue();
        boolean globalChange = resized
                || meanChange > GLOBAL_CHANGE * range
                || (levelCount >= LEVEL_PICTURES && Math.abs(mean - levelMean) > GLOBAL_CHANGE * range);
        boolean stallDamage = stalled(p, globalChange);
        if (p.keyFrame() || globalChange || time - levelTime > LEVEL_MAX_AGE) {
            levelCount = 0;
            levelSteps = 0;
            levelBoxed = 0;
            levelMean = 0;
            levelTime = time;
            over = 0;
        }
        if (levelCount < LEVEL_PICTURES) {
            levelCount++;
            levelSteps += (stepFraction - levelSteps) / levelCount;
            levelBoxed += (boxedFraction - levelBoxed) / levelCount;
            levelMean += (mean - levelMean) / levelCount;
            fromStall = stallDamage;
            return stallDamage;
        }
        boolean overLevel =
                stepFraction > STEP_FACTOR * levelSteps + STEP_MARGIN && boxedFraction > levelBoxed + BOXED_MARGIN;
        over = overLevel ? over + 1 : 0;
        fromStall = stallDamage && over < CONFIRM;
        return over >= CONFIRM || stallDamage;
    }

    /** Whether the damage {@link #damaged} just saw began with the picture before (a stall). */
    public boolean beganBefore() {
        return fromStall;
    }

    /**
     * Whether the previous picture, and only that one, stalled and this one moves again. A concealed picture stands
     * still where the decoder copied the previous picture over what it lost (most of it) and moves where it decoded
     * (a little); motion then resumes from that wrong picture and the damage stays until the next keyframe. A freeze
     * (or a cut to still content) does not resume, a repeated picture moves nowhere, and a keyframe or cut starts a
     * new motion level.
     */
    private boolean stalled(Picture p, boolean globalChange) {
        if (globalChange) {
            motionCount = 0;
            stalled = 0;
            steady = 0;
            return false;
        }
        if (p.keyFrame()) {
            stalled = 0;
            return false; // an intra picture changes more than predicted ones: keep it out of the level
        }
        double level = 0;
        int n = Math.min(motionCount, MOTION_PICTURES);
        for (int i = 0; i < n; i++) {
            level += motion[i];
        }
        level = n == 0 ? 0 : level / n;
        boolean moving = n >= MOTION_MIN_PICTURES && level > MOTION_FLOOR * p.maxValue();
        if (moving && meanChange < STALL_RATIO * level && movedFraction >= MOVED_MIN) {
            if (stalled++ == 0) {
                steadyBeforeStall = steady;
            }
            steady = 0;
            return false;
        }
        // one picture stalled: longer is a freeze (with something still moving on it), not concealment
        boolean resumed = stalled == 1
                && steadyBeforeStall >= STEADY_PICTURES
                && moving
                && meanChange >= RESUME_MIN * level
                && meanChange <= RESUME_MAX * level;
        stalled = 0;
        steady++;
        motion[motionCount++ % MOTION_PICTURES] = meanChange;
        return resumed;
    }

    /** Forget the level: the input was reopened. */
    public void reset() {
        width = -1;
        height = -1;
        levelCount = 0;
        levelTime = Double.NEGATIVE_INFINITY;
        over = 0;
        motionCount = 0;
        stalled = 0;
        steady = 0;
    }

    private final Counts counts = new Counts();

    /** Fills the counts for this picture; true when the picture size changed (nothing to compare with). */
    private boolean measure(Picture p) {
        boolean resized = resizeTo(p.width(), p.height());
        if (copied.length == 0 || copied[0].length < width * p.bytesPerSample()) {
            copied = new byte[7][width * p.bytesPerSample()];
        }
        // a step: the jump across the grid line over twice the threshold, and well over the gradients beside it
        int threshold = Math.max(1, p.maxValue() * 10 / 255);
        int movedLevel = Math.max(1, p.maxValue() * MOVED_LEVELS / 255);
        counts.clear();
        for (int cy = 0; cy < rows; cy += rowStep) {
            int rowBase = cy * cols;
            for (int cx = 0; cx < cols; cx++) {
                sides[rowBase + cx] = 0;
            }
            verticalLines(p, cy, rowBase, threshold);
            horizontalLines(p, cy, rowBase, threshold);
            centres(p, cy, rowBase, movedLevel);
        }
        Counts c = counts;
        stepFraction = c.edges == 0 ? 0 : (double) c.steps / c.edges;
        boxedFraction = c.cells == 0 ? 0 : (double) c.boxed / c.cells;
        mean = c.cells == 0 ? 0 : (double) c.sum / c.cells;
        meanChange = c.cells == 0 ? 0 : (double) c.change / c.cells;
        movedFraction = c.cells == 0 ? 0 : (double) c.moved / c.cells;
        return resized;
    }

    /** A new picture size lays out a new grid; true when it changed. */
    private boolean resizeTo(int w, int h) {
        if (w == width && h == height) {
            return false;
        }
        width = w;
        height = h;
        cols = w / CELL;
        rows = h / CELL;
        rowStep = Math.max(1, (int) Math.ceil((double) cols * rows / MAX_CELLS));
        sides = new byte[Math.max(0, cols * rows)];
        centres = new int[sides.length];
        below = new boolean[Math.max(0, cols)];
        return true;
    }

    /** The vertical grid lines inside cell row {@code cy}, two samples each. */
    private void verticalLines(Picture p, int cy, int rowBase, int threshold) {
        byte[] acrossTop = copied[0];
        byte[] acrossBottom = copied[1];
        int y0 = cy * CELL + 4;
        p.copyLumaRow(y0, acrossTop);
        p.copyLumaRow(y0 + 8, acrossBottom);
        for (int cx = 1; cx < cols; cx++) {
            int x = cx * CELL;
            if (isStep(jumpAcross(p, acrossTop, x) + jumpAcross(p, acrossBottom, x), threshold)) {
                counts.steps++;
                sides[rowBase + cx]++;
                sides[rowBase + cx - 1]++;
            }
            counts.edges++;
        }
    }

    /**
     * The horizontal grid lines above and below cell row {@code cy}; reading every row, the line above is the
     * previous row's line below.
     */
    private void horizontalLines(Picture p, int cy, int rowBase, int threshold) {
        boolean aboveKnown = rowStep == 1 && cy > 0;
        for (int line = cy; line <= cy + 1; line++) {
            if (line == 0 || line == rows) {
                continue;
            }
            boolean above = line == cy;
            int y = line * CELL;
            if (!(above && aboveKnown)) {
                for (int k = 0; k < 4; k++) {
                    p.copyLumaRow(y - 2 + k, copied[2 + k]);
                }
            }
            for (int cx = 0; cx < cols; cx++) {
                boolean step;
                if (above && aboveKnown) {
                    step = below[cx];
                } else {
                    int x0 = cx * CELL + 4;
                    step = isStep(jumpDown(p, copied, x0) + jumpDown(p, copied, x0 + 8), threshold);
                    counts.edges++;
                    if (step) {
                        counts.steps++;
                    }
                }
                if (step) {
                    sides[rowBase + cx]++;
                }
                if (!above) {
                    below[cx] = step;
                }
            }
        }
    }

    /** The cells of row {@code cy}: boxed in by steps, and their centres' level and change. */
    private void centres(Picture p, int cy, int rowBase, int movedLevel) {
        byte[] centreRow = copied[6];
        p.copyLumaRow(cy * CELL + CELL / 2, centreRow);
        for (int cx = 0; cx < cols; cx++) {
            if (sides[rowBase + cx] >= 3) {
                counts.boxed++;
            }
            int v = p.sample(centreRow, cx * CELL + CELL / 2);
            counts.sum += v;
            int delta = Math.abs(v - centres[rowBase + cx]);
            counts.change += delta;
            if (delta >= movedLevel) {
                counts.moved++;
            }
            centres[rowBase + cx] = v;
            counts.cells++;
        }
    }

    /** One picture's tallies over the grid. */
    private static final class Counts {
        int steps;
        int edges;
        int boxed;
        int cells;
        long sum;
        long change;
        int moved;

        void clear() {
            steps = 0;
            edges = 0;
            boxed = 0;
            cells = 0;
            sum = 0;
            change = 0;
            moved = 0;
        }
    }

    /**
     * Whether a grid line, sampled twice, is a step: the jumps across it (summed) over twice the threshold, and over
     * 1.5 × the mean gradient just beside it plus the threshold.
     */
    private static boolean isStep(long jumps, int threshold) {
        long step = jumps >>> 32;
        long beside = jumps & 0xffffffffL;
        return step > 2L * threshold && 2 * step > 3 * beside + 2L * threshold;
    }

    /** The jump across the vertical grid line between x - 1 and x of a copied row (see {@link #jump}). */
    private static long jumpAcross(Picture p, byte[] row, int x) {
        return jump(p.sample(row, x - 2), p.sample(row, x - 1), p.sample(row, x), p.sample(row, x + 1));
    }

    /** The jump down across the horizontal grid line above row 3 of the four copied rows at x (see {@link #jump}). */
    private static long jumpDown(Picture p, byte[][] copied, int x) {
        return jump(p.sample(copied[2], x), p.sample(copied[3], x), p.sample(copied[4], x), p.sample(copied[5], x));
    }

    /**
     * The jump across a grid line between samples b and c (a before b, d after c) in the high half, the two gradients
     * just beside it summed in the low half (so that two samples add up).
     */
    private static long jump(int a, int b, int c, int d) {
        return (long) Math.abs(c - b) << 32 | (Math.abs(b - a) + Math.abs(d - c));
    }
}
