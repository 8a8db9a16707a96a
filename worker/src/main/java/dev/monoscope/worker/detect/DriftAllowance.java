package dev.monoscope.worker.detect;

/**
 * How far a freeze run's pictures may drift from its first between keyframes ({@link FreezeDetector}): per block, as
 * far as a keyframe (or an encoder's refinement) moved it, within a keyframe's own limit; on average, as many times
 * coding noise as it moved them, with half a coding noise to spare.
 */
final class DriftAllowance {

    private long[] blocks = new long[0];
    private double noiseFactor;

    /** A run starts: its blocks may move as far as {@code blockLimit}, and {@code noiseFactor} × coding noise. */
    void reset(long[] blockLimit, double noiseFactor) {
        if (blocks.length != blockLimit.length) {
            blocks = new long[blockLimit.length];
        }
        System.arraycopy(blockLimit, 0, blocks, 0, blockLimit.length);
        this.noiseFactor = noiseFactor;
    }

    /**
     * The run's picture moved from {@code first} to {@code now} (a keyframe, or a refinement that stopped): the
     * pictures after it may stay as far from the first, within {@code limits} per block and {@code maxFactor} ×
     * coding noise; {@code movedInNoise} is the mean move, in coding noises.
     */
    void moved(BlockGrid grid, int[] first, int[] now, long[] limits, double movedInNoise, double maxFactor) {
        int[] counts = grid.counts;
        for (int i = 0; i < now.length; i++) {
            int n = Math.max(1, counts[i]);
            long moved = (Math.abs(now[i] - first[i]) + n - 1) / n * n; // whole levels a sample, as the limits
            blocks[i] = Math.min(limits[i], Math.max(blocks[i], moved));
        }
        noiseFactor = Math.min(maxFactor, Math.max(noiseFactor, movedInNoise + 0.5));
    }

    /** Per block, how far its sum may be from the run's first picture's. */
    long[] blocks() {
        return blocks;
    }

    /** How many times coding noise the run's pictures may differ from its first by, on average. */
    double noiseFactor() {
        return noiseFactor;
    }
}
