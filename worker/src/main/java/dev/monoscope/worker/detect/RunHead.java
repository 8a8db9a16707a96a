package dev.monoscope.worker.detect;

/**
 * The block sums of a freeze run's first pictures after its first, with their times and whether each was a keyframe:
 * the pictures its start may move to ({@link FreezeDetector}).
 */
final class RunHead {

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

    boolean keyFrame(int k) {
        return keyFrames[k];
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
}
