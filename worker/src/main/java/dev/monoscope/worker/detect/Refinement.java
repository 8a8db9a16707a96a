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
    boolean settled(int[] sums, int maxValue, long samplesRead, long[] blockLimit) {
        long total = 0;
        boolean blocksStill = true;
        for (int i = 0; i < sums.length; i++) {
            long diff = Math.abs(sums[i] - previous[i]);
            blocksStill &= diff <= STILL_BLOCK * blockLimit[i];
            total += diff;
        }
        System.arraycopy(sums, 0, previous, 0, sums.length);
        boolean stillNow = blocksStill && total <= STILL_MEAN * maxValue * Math.max(1, samplesRead);
        still = stillNow ? still + 1 : 0;
        if (still >= STILL_PICTURES) {
            active = false;
            return true;
        }
        return false;
    }
}
