package dev.monoscope.worker.detect;

import dev.monoscope.worker.decode.Picture;
import java.util.Arrays;

/**
 * Whether one small part of a held picture changed since a reference picture: a channel bug turning, a clock, a
 * spinner. Its pixels change while their mean hardly does, so block means miss it, and the motion search looks where
 * the picture's texture is, not at it. Here each block's mean absolute difference from the reference is measured on
 * the sampled rows. A frozen picture, however re-encoded or grainy, stays within a few percent of the range in most
 * blocks, and grain added after the freeze lifts every block alike; an element that moved differs by far more, in
 * its blocks only (10 % and more on the turning bugs of the tests and the tuning set, where a starved encoder's
 * refinement reached 12 % in a few blocks scattered over the picture). So the picture changed locally when a block
 * differs by more than {@value #CHANGED} of the range and {@value #RATIO} × the median block, no more than
 * {@value #LOCAL} of the blocks do (more is the whole picture: the block means judge that), and most of those that
 * do lie together. A keyframe that continued the held picture since the reference re-encodes it whole, which at a low
 * bit rate moves a few blocks of fine detail together just past that limit (8–9 % on a test pattern's text): then a
 * change must also show against that keyframe, or exceed {@value #ACROSS_KEYFRAME} × the limit.
 */
final class LocalChange {

    /** A block changed when its mean absolute difference exceeds this fraction of the range… */
    static final double CHANGED = 0.08;
    /** …and this many times the median block's. */
    static final double RATIO = 2.5;
    /** At most this share of the blocks changed: a local change… */
    static final double LOCAL = 0.02;
    /** …and this share of them within {@value #AROUND} blocks of one: one element, not refinement here and there. */
    static final double TOGETHER = 0.6;
    /**
     * …or at least this many of them lie within {@value #AROUND} blocks of one, whatever changed elsewhere: a channel
     * bug turning on a still that a low-bit-rate HEVC encoder re-encodes every 0.5 s, where a 44-px bug changed 13 to
     * 17 blocks together and the keyframes as many others here and there.
     */
    static final int CLUSTER = 8;

    static final int AROUND = 2;

    /**
     * How many times {@value #CHANGED} a block must differ across a keyframe: the turning bugs of the tuning set
     * differ by 14.7 % and more.
     */
    static final double ACROSS_KEYFRAME = 1.5;

    /** Blocks of about this many pixels, smaller than the freeze detector's: a 32-px element fills one. */
    static final int BLOCK_PIXELS = 16;

    private final int samples;
    /** The blocks for the reference's size, or null. */
    private BlockGrid grid;

    private byte[] reference = new byte[0];
    /** The last keyframe that continued the held picture since the reference, if {@link #keyframeSeen}. */
    private byte[] sinceKeyframe = new byte[0];

    private boolean keyframeSeen;
    private byte[] row = new byte[0];
    private long[] differences = new long[0];
    private long[] sorted = new long[0];
    /** The blocks that changed at this look. */
    private boolean[] changedNow = new boolean[0];

    /**
     * @param samples how many luma samples the grid has per picture, about: looked at twice a second, it can afford
     *                more than the freeze detector's every picture
     */
    LocalChange(int samples) {
        this.samples = samples;
    }

    /** Takes {@code p}'s sampled rows as the reference. */
    void reference(Picture p) {
        if (grid == null || !grid.fits(p)) {
            layout(p);
        }
        copyRows(p, reference);
        keyframeSeen = false;
    }

    /** A keyframe {@code p} continued the held picture after the reference: a change must show against it too. */
    void keyframe(Picture p) {
        if (grid != null && grid.fits(p)) {
            copyRows(p, sinceKeyframe);
            keyframeSeen = true;
        }
    }

    private void copyRows(Picture p, byte[] into) {
        int rowBytes = row.length;
        for (int y = grid.step / 2, at = 0; y < grid.height; y += grid.step, at += rowBytes) {
            p.copyLumaRow(y, row);
            System.arraycopy(row, 0, into, at, rowBytes);
        }
    }

    /**
     * Whether a small part of {@code p} changed since the reference: a few blocks, lying together. An encoder
     * refining a starved, grainy picture moves a few blocks as far, but here and there (9 blocks in a box of 25 × 45
     * on the slice's starved encode), where a moving element's blocks touch (2–8 blocks in boxes of 1 × 1 to 4 × 3 on
     * the turning bugs of the tests and the tuning set).
     */
    boolean changed(Picture p) {
        if (grid == null || !grid.fits(p)) {
            return false;
        }
        differ(p, reference);
        if (!changedBy(p, CHANGED)) {
            return false;
        }
        // across a keyframe, the change must be larger, or show against that keyframe as well (the keyframe itself
        // may be the coarser picture, refined after it: it is no reference alone)
        if (!keyframeSeen || changedBy(p, CHANGED * ACROSS_KEYFRAME)) {
            return true;
        }
        differ(p, sinceKeyframe);
        return changedBy(p, CHANGED);
    }

    /**
     * Whether, in the {@link #differences} last measured, a few blocks lying together differ by more than
     * {@code limit} of the range.
     */
    private boolean changedBy(Picture p, double limit) {
        if (!mark(p, limit)) {
            return false;
        }
        int n = changedNow.length;
        int changed = 0;
        int together = 0;
        for (int i = 0; i < n; i++) {
            if (changedNow[i]) {
                changed++;
                together = Math.max(together, changedAround(i));
            }
        }
        return together >= TOGETHER * changed || together >= CLUSTER;
    }

    /** How many blocks within {@value #AROUND} blocks of block {@code i} (itself included) changed. */
    private int changedAround(int i) {
        int cols = grid.cols;
        int row = i / cols;
        int col = i % cols;
        int count = 0;
        for (int r = Math.max(0, row - AROUND); r <= Math.min(grid.rows - 1, row + AROUND); r++) {
            for (int c = Math.max(0, col - AROUND); c <= Math.min(cols - 1, col + AROUND); c++) {
                count += changedNow[r * cols + c] ? 1 : 0;
            }
        }
        return count;
    }

    /**
     * Measures each block's absolute difference of {@code p} from {@code from} into {@link #differences}, and their
     * per-sample values, sorted, into {@link #sorted}.
     */
    private void differ(Picture p, byte[] from) {
        BlockGrid g = grid;
        int[] counts = g.counts;
        Arrays.fill(differences, 0);
        int rowBytes = row.length;
        for (int y = g.step / 2, at = 0; y < g.height; y += g.step, at += rowBytes) {
            p.copyLumaRow(y, row);
            int base = g.rowBase(y);
            for (int x = 0; x < g.width; x++) {
                int b = base + g.column(x);
                differences[b] += Math.abs(p.sample(row, x) - p.sample(from, at / p.bytesPerSample() + x));
            }
        }
        for (int i = 0; i < differences.length; i++) {
            sorted[i] = differences[i] * 1024 / Math.max(1, counts[i]); // per sample, in 1/1024 of a level
        }
        Arrays.sort(sorted);
    }

    /**
     * Marks in {@link #changedNow} the blocks that differ by more than {@code changed} of the range (and
     * {@value #RATIO} × the median block); true when they are a few (local).
     */
    private boolean mark(Picture p, double changed) {
        int[] counts = grid.counts;
        int n = differences.length;
        double limit = Math.max(changed * p.maxValue(), RATIO * sorted[n / 2] / 1024.0);
        int count = 0;
        for (int i = 0; i < n; i++) {
            changedNow[i] = differences[i] > limit * counts[i];
            count += changedNow[i] ? 1 : 0;
        }
        return count > 0 && count <= Math.max(1, LOCAL * n);
    }

    /** Blocks of about {@value #BLOCK_PIXELS} pixels, whole grid rows high, for this picture size. */
    private void layout(Picture p) {
        grid = new BlockGrid(p, samples, BLOCK_PIXELS);
        int n = grid.counts.length;
        row = new byte[p.width() * p.bytesPerSample()];
        reference = new byte[grid.gridRows * row.length];
        sinceKeyframe = new byte[reference.length];
        keyframeSeen = false;
        differences = new long[n];
        sorted = new long[n];
        changedNow = new boolean[n];
    }
}
