package dev.monoscope.worker.detect;

/**
 * Whether a held picture that changed a little all over is an encoder refining it: at a low bit rate an encoder
 * (HEVC's most) keeps sharpening a frozen picture in bursts one mini-GOP long, each moving the whole picture's block
 * means by a coding noise or so (0.7 % of the range over 4 to 7 pictures on a dev set's cellular automaton), and after
 * each burst the picture holds exactly still. Motion does not stop like that, and a small element that changes moves
 * only its own blocks. So a refinement begins at a picture that moved the mean, and it is one when the picture then
 * holds still for {@value #STILL_PICTURES} pictures in a row within {@value #LONGEST} s; until then the verdict waits.
 */
final class Refinement {

    /** A picture holds still when its blocks' mean change from the one before is at most this share of the range… */
    static final double STILL_MEAN = 0.0002;
    /** …and no block moved by more than this share of its own limit. */
    static final double STILL_BLOCK = 0.1;
    /** How many still pictures in a row end a refinement. */
    static final int STILL_PICTURES = 3;
    /** How long a refinement may take, with its still pictures (seconds): a burst is a mini-GOP long. */
    static final double LONGEST = 0.5;

    private int[] previous = new int[0];
    private boolean active;
    private double since;
    private int still;
    /** How far a block's sum may move in a still picture, and the block limits it was taken from. */
    private long[] stillLimits = new long[0];

    private long[] stillLimitsOf;

    /** A refinement may have begun at {@code time}, with the picture whose block sums are {@code sums}. */
    void begin(int[] sums, double time) {
        if (previous.length != sums.length) {
            previous = new int[sums.length];
        }
        System.arraycopy(sums, 0, previous, 0, sums.length);
        active = true;
        since = time;
        still = 0;
    }

    boolean active() {
        return active;
    }

    /** When the picture began to change. */
    double since() {
        return since;
    }

    /** Whether it has taken too long to stop by {@code time}: no refinement, the picture changed. */
    boolean tooLong(double time) {
        return time - since > LONGEST + 1e-6;
    }

    void end() {
        active = false;
    }

    /**
     * Whether the picture whose block sums are {@code sums} is the last of {@value #STILL_PICTURES} still ones in a
     * row, which ends the refinement.
     */
    boolean settled(int[] sums, int maxValue, BlockGrid grid, long[] blockLimit) {
        boolean stillNow = grid.within(sums, previous, stillLimits(blockLimit), STILL_MEAN * maxValue);
        System.arraycopy(sums, 0, previous, 0, sums.length);
        still = stillNow ? still + 1 : 0;
        if (still >= STILL_PICTURES) {
            active = false;
            return true;
        }
        return false;
    }

    /** Per block, {@value #STILL_BLOCK} of its limit in {@code blockLimit}, in whole units of a block's sum. */
    private long[] stillLimits(long[] blockLimit) {
        if (blockLimit != stillLimitsOf) {
            stillLimits = new long[blockLimit.length];
            for (int i = 0; i < blockLimit.length; i++) {
                stillLimits[i] = (long) Math.floor(STILL_BLOCK * blockLimit[i]);
            }
            stillLimitsOf = blockLimit;
        }
        return stillLimits;
    }
}
