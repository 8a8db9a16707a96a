package dev.monoscope.worker.detect;

import java.util.Arrays;

/**
 * The block sums of a freeze run's first pictures after its first, with their times and whether each was a keyframe:
 * the pictures its start may move to ({@link FreezeDetector}).
 */
final class RunHead {

    /**
     * The least picture-to-picture change (fraction of the range, mean of the blocks) that counts as the motion a
     * run's start may be trimmed of ({@link #settled}): slow motion ending in a freeze moved the tuning set's block
     * means by 0.35 to 0.42 levels a picture; a starved encoder's refinement of a frozen picture, by 0.15 to 0.18.
     */
    static final double SETTLING_MOTION = 0.001;
    /** How many times the run's own late picture-to-picture change the motion trimmed off must exceed. */
    static final double SETTLING_FACTOR = 4;
    /** The run's late picture-to-picture change: the median of its last this many kept pictures' changes. */
    static final int LATE_STEPS = 4;

    private int[][] sums;
    private final double[] times;
    private final boolean[] keyFrames;
    private int count;

    /** @param capacity how many pictures are kept, at most */
    RunHead(int capacity) {
        sums = new int[capacity][0];
        times = new double[capacity];
        keyFrames = new boolean[capacity];
    }

    /** Sizes it for pictures of {@code blocks} blocks, and empties it. */
    void layout(int blocks) {
        sums = new int[times.length][blocks];
        count = 0;
    }

    void clear() {
        count = 0;
    }

    /** Keeps a picture's block sums, unless it is full. */
    void add(int[] blockSums, double time, boolean keyFrame) {
        if (count < times.length) {
            times[count] = time;
            keyFrames[count] = keyFrame;
            System.arraycopy(blockSums, 0, sums[count++], 0, blockSums.length);
        }
    }

    int count() {
        return count;
    }

    int[] sums(int k) {
        return sums[k];
    }

    double time(int k) {
        return times[k];
    }

    /** The first {@code n} kept pictures are not the run's any more: the next move up. */
    void drop(int n) {
        int[][] kept = sums.clone();
        int capacity = times.length;
        for (int k = 0; k < capacity; k++) {
            int from = (k + n) % capacity;
            sums[k] = kept[from];
            times[k] = k + n < capacity ? times[from] : Double.NaN;
            keyFrames[k] = k + n < capacity && keyFrames[from];
        }
        count -= n;
    }

    /**
     * Where slow motion that ended in the freeze stopped: the kept picture the run starts at instead of {@code first},
     * or -1. Motion is two or more changes in a row from the run's first picture ({@code first}, followed by the kept
     * pictures from {@code from} on), each by {@value #SETTLING_MOTION} of the range and {@value #SETTLING_FACTOR} ×
     * the run's late picture-to-picture change; the run starts at the picture the last of them led to. A keyframe's
     * change is its re-encoding, not motion: the trimming stops before one. An encoder's refinement of a frozen picture
     * changes it less (or once), and grain added after encoding changes every picture alike: neither is trimmed.
     */
    int settled(int from, int[] first, BlockGrid grid, int maxValue) {
        int steps = count - from; // the changes from first to the kept picture from, from it to the next, ...
        if (steps < 2 + LATE_STEPS) {
            return -1;
        }
        double[] change = new double[steps];
        for (int k = 0; k < steps; k++) {
            change[k] = grid.meanChange(k == 0 ? first : sums[from + k - 1], sums[from + k]);
        }
        double[] late = Arrays.copyOfRange(change, steps - LATE_STEPS, steps);
        Arrays.sort(late);
        double median = (late[LATE_STEPS / 2 - 1] + late[LATE_STEPS / 2]) / 2;
        double threshold = Math.max(SETTLING_FACTOR * median, SETTLING_MOTION * maxValue);
        int moving = 0;
        while (moving < steps - LATE_STEPS && change[moving] > threshold && !keyFrames[from + moving]) {
            moving++;
        }
        return moving < 2 ? -1 : from + moving - 1;
    }
}
