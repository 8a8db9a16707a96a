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

    private int width = -1;
    private int height = -1;
    private int cols;
    private int rows;
    private int rowStep;
    private byte[] sides = new byte[0];
    private int[] centres = new int[0];
    /** Per column: whether the grid line below the last cell row read is a step. */
    private boolean[] below = new boolean[0];

    private double stepFraction;
    private double boxedFraction;
    private double meanChange;
    private double mean;

    private int levelCount;
    private double levelSteps;
    private double levelBoxed;
    private double levelMean;
    private double levelTime = Double.NEGATIVE_INFINITY;
    private int over;

    /**
     * Whether this picture shows block damage against the stream's level. Call for every picture in order.
     */
    public boolean damaged(Picture p, double time) {
        boolean resized = measure(p);
        double range = p.maxValue();
        boolean globalChange = resized || meanChange > GLOBAL_CHANGE * range
                || (levelCount >= LEVEL_PICTURES && Math.abs(mean - levelMean) > GLOBAL_CHANGE * range);
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
            return false;
        }
        boolean overLevel = stepFraction > STEP_FACTOR * levelSteps + STEP_MARGIN
                && boxedFraction > levelBoxed + BOXED_MARGIN;
        over = overLevel ? over + 1 : 0;
        return over >= CONFIRM;
    }

    /** Forget the level: the input was reopened. */
    public void reset() {
        width = -1;
        height = -1;
        levelCount = 0;
        levelTime = Double.NEGATIVE_INFINITY;
        over = 0;
    }

    /** Step fraction of the last picture measured (for tests and tuning). */
    double stepFraction() {
        return stepFraction;
    }

    /** The level's step fraction, or NaN while it is being taken. */
    double levelSteps() {
        return levelCount < LEVEL_PICTURES ? Double.NaN : levelSteps;
    }

    /** The level's boxed-cell fraction. */
    double levelBoxed() {
        return levelBoxed;
    }

    /** Boxed-cell fraction of the last picture measured. */
    double boxedFraction() {
        return boxedFraction;
    }

    /** Fills the counts for this picture; true when the picture size changed (nothing to compare with). */
    private boolean measure(Picture p) {
        int w = p.width();
        int h = p.height();
        boolean resized = w != width || h != height;
        if (resized) {
            width = w;
            height = h;
            cols = w / CELL;
            rows = h / CELL;
            rowStep = Math.max(1, (int) Math.ceil((double) cols * rows / MAX_CELLS));
            sides = new byte[Math.max(0, cols * rows)];
            centres = new int[sides.length];
            below = new boolean[Math.max(0, cols)];
        }
        // a step: the jump across the grid line over twice the threshold, and well over the gradients beside it
        int threshold = Math.max(1, p.maxValue() * 10 / 255);
        int steps = 0;
        int edges = 0;
        int boxed = 0;
        int cells = 0;
        long sum = 0;
        long change = 0;
        for (int cy = 0; cy < rows; cy += rowStep) {
            int rowBase = cy * cols;
            for (int cx = 0; cx < cols; cx++) {
                sides[rowBase + cx] = 0;
            }
            // vertical grid lines inside this cell row, two samples each
            for (int cx = 1; cx < cols; cx++) {
                int x = cx * CELL;
                int y0 = cy * CELL + 4;
                if (isStep(jump(p, x, y0, 1, 0) + jump(p, x, y0 + 8, 1, 0), threshold)) {
                    steps++;
                    sides[rowBase + cx]++;
                    sides[rowBase + cx - 1]++;
                }
                edges++;
            }
            // the horizontal grid lines above and below this cell row; reading every row, the line above is the
            // previous row's line below
            boolean aboveKnown = rowStep == 1 && cy > 0;
            for (int line = cy; line <= cy + 1; line++) {
                if (line == 0 || line == rows) {
                    continue;
                }
                boolean above = line == cy;
                int y = line * CELL;
                for (int cx = 0; cx < cols; cx++) {
                    boolean step;
                    if (above && aboveKnown) {
                        step = below[cx];
                    } else {
                        int x0 = cx * CELL + 4;
                        step = isStep(jump(p, x0, y, 0, 1) + jump(p, x0 + 8, y, 0, 1), threshold);
                        edges++;
                        if (step) {
                            steps++;
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
            for (int cx = 0; cx < cols; cx++) {
                if (sides[rowBase + cx] >= 3) {
                    boxed++;
                }
                int v = p.luma(cx * CELL + CELL / 2, cy * CELL + CELL / 2);
                sum += v;
                change += Math.abs(v - centres[rowBase + cx]);
                centres[rowBase + cx] = v;
                cells++;
            }
        }
        stepFraction = edges == 0 ? 0 : (double) steps / edges;
        boxedFraction = cells == 0 ? 0 : (double) boxed / cells;
        mean = cells == 0 ? 0 : (double) sum / cells;
        meanChange = cells == 0 ? 0 : (double) change / cells;
        return resized;
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

    /**
     * The jump across the grid line between (x-dx, y-dy) and (x, y) in the high half, the two gradients just beside
     * it summed in the low half (so that two samples add up).
     */
    private static long jump(Picture p, int x, int y, int dx, int dy) {
        int a = p.luma(x - 2 * dx, y - 2 * dy);
        int b = p.luma(x - dx, y - dy);
        int c = p.luma(x, y);
        int d = p.luma(x + dx, y + dy);
        return (long) Math.abs(c - b) << 32 | (Math.abs(b - a) + Math.abs(d - c));
    }
}
