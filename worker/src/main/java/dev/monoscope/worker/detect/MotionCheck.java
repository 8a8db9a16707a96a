package dev.monoscope.worker.detect;

import dev.monoscope.worker.decode.Picture;

/**
 * Whether a picture moved since a reference picture, by block matching: a few textured blocks of the reference are
 * looked for in the picture within ±{@value #RANGE} pixels. A slow pan or zoom moves them by a pixel or more, and
 * neighbouring blocks alike, while block means hardly change; a frozen picture, however noisy or re-encoded, still
 * matches best where it was, or in a few blocks a few pixels off, each its own way ({@link #coherent}).
 */
final class MotionCheck {

    static final int BLOCK = 16;
    static final int RANGE = 4;
    private static final int CANDIDATES_X = 8;
    private static final int CANDIDATES_Y = 6;
    private static final int MAX_BLOCKS = 24;
    /** A block is textured when its samples' mean deviation reaches this fraction of the range. */
    private static final double TEXTURE = 0.03;
    /** A block moved when its best match elsewhere is this much better than where it was… */
    private static final double BETTER = 0.8;
    /** …and better by this fraction of the range per sample: not a noise-level preference. */
    private static final double MARGIN = 0.004;
    /** The picture moved when this share of its textured blocks (at least {@link #MIN_MOVED}) moved. */
    private static final double MOVED_SHARE = 0.3;

    private static final int MIN_MOVED = 3;
    /** Displacements are coded as {@code dy * SPAN + dx}; {@link #STILL}: none. */
    private static final int SPAN = 2 * RANGE + 1;

    private static final int STILL = -1;

    private final int[] vectors = new int[MAX_BLOCKS];

    private final int[][] blocks = new int[MAX_BLOCKS][BLOCK * BLOCK];
    private final int[] xs = new int[MAX_BLOCKS];
    private final int[] ys = new int[MAX_BLOCKS];
    private int count;
    private int width = -1;
    private int height = -1;
    private int maxValue;
    /** {@link #MARGIN} as a sum of absolute differences over a block, for the reference's sample range. */
    private long minImprovement;

    private byte[] row = new byte[0];
    private int[][] patch = new int[0][0];

    /** Takes {@code p} as the reference: keeps its most textured blocks. */
    void reference(Picture p) {
        width = p.width();
        height = p.height();
        maxValue = p.maxValue();
        minImprovement = (long) Math.ceil(MARGIN * maxValue * BLOCK * BLOCK);
        count = 0;
        int margin = RANGE + 1;
        if (width < BLOCK + 2 * margin || height < BLOCK + 2 * margin) {
            return;
        }
        ensureBuffers(p);
        int[] candidate = new int[BLOCK * BLOCK];
        double[] texture = new double[MAX_BLOCKS];
        for (int cy = 0; cy < CANDIDATES_Y; cy++) {
            for (int cx = 0; cx < CANDIDATES_X; cx++) {
                int x = margin + (int) ((long) (width - BLOCK - 2 * margin) * (2 * cx + 1) / (2 * CANDIDATES_X));
                int y = margin + (int) ((long) (height - BLOCK - 2 * margin) * (2 * cy + 1) / (2 * CANDIDATES_Y));
                read(p, x, y, candidate);
                double t = meanDeviation(candidate);
                if (t >= TEXTURE * maxValue) {
                    keepIfAmongMost(candidate, x, y, t, texture);
                }
            }
        }
    }

    private void keepIfAmongMost(int[] candidate, int x, int y, double t, double[] texture) {
        int slot;
        if (count < MAX_BLOCKS) {
            slot = count++;
        } else {
            slot = weakest(texture);
            if (texture[slot] >= t) {
                return;
            }
        }
        System.arraycopy(candidate, 0, blocks[slot], 0, candidate.length);
        xs[slot] = x;
        ys[slot] = y;
        texture[slot] = t;
    }

    private int weakest(double[] texture) {
        int w = 0;
        for (int i = 1; i < count; i++) {
            if (texture[i] < texture[w]) {
                w = i;
            }
        }
        return w;
    }

    /** Whether {@code p} shows the reference moved; false when it cannot tell (no texture, another size). */
    boolean moved(Picture p) {
        if (count < MIN_MOVED || p.width() != width || p.height() != height) {
            return false;
        }
        ensureBuffers(p);
        int moved = 0;
        for (int b = 0; b < count; b++) {
            vectors[moved] = displacement(p, b);
            if (vectors[moved] != STILL) {
                moved++;
            }
        }
        return coherent(moved) >= Math.max(MIN_MOVED, MOVED_SHARE * count);
    }

    /**
     * Where reference block {@code b} matches {@code p} best, as {@code dy * SPAN + dx} with offsets from 0 to
     * 2 × {@value #RANGE}, or {@link #STILL} when no match elsewhere is clearly better than where it was.
     */
    private int displacement(Picture p, int b) {
        int size = BLOCK + 2 * RANGE;
        for (int j = 0; j < size; j++) {
            p.copyLumaRow(ys[b] - RANGE + j, row);
            for (int i = 0; i < size; i++) {
                patch[j][i] = p.sample(row, xs[b] - RANGE + i);
            }
        }
        long still = sad(blocks[b], RANGE, RANGE);
        long best = still;
        int where = STILL;
        for (int dy = 0; dy <= 2 * RANGE; dy++) {
            for (int dx = 0; dx <= 2 * RANGE; dx++) {
                long difference = dx != RANGE || dy != RANGE ? sad(blocks[b], dx, dy) : Long.MAX_VALUE;
                if (difference < best) {
                    best = difference;
                    where = dy * SPAN + dx;
                }
            }
        }
        return best <= BETTER * still && still - best >= minImprovement ? where : STILL;
    }

    /**
     * How many of the first {@code moved} displacements another one agrees with, within a pixel each way: a pan or
     * zoom moves neighbouring blocks alike, while a starved encoder re-coding a frozen textured picture made single
     * blocks match best a few pixels off, each its own way (a mandelbrot freeze in H.264 was cut 2 s short).
     */
    private int coherent(int moved) {
        int agreeing = 0;
        for (int a = 0; a < moved; a++) {
            for (int b = 0; b < moved; b++) {
                if (a != b
                        && Math.abs(vectors[a] % SPAN - vectors[b] % SPAN) <= 1
                        && Math.abs(vectors[a] / SPAN - vectors[b] / SPAN) <= 1) {
                    agreeing++;
                    break;
                }
            }
        }
        return agreeing;
    }

    private long sad(int[] block, int dx, int dy) {
        long sum = 0;
        for (int j = 0; j < BLOCK; j++) {
            int[] line = patch[dy + j];
            int base = j * BLOCK;
            for (int i = 0; i < BLOCK; i++) {
                sum += Math.abs(block[base + i] - line[dx + i]);
            }
        }
        return sum;
    }

    private void read(Picture p, int x, int y, int[] out) {
        for (int j = 0; j < BLOCK; j++) {
            p.copyLumaRow(y + j, row);
            for (int i = 0; i < BLOCK; i++) {
                out[j * BLOCK + i] = p.sample(row, x + i);
            }
        }
    }

    private static double meanDeviation(int[] samples) {
        long sum = 0;
        for (int s : samples) {
            sum += s;
        }
        double mean = (double) sum / samples.length;
        double dev = 0;
        for (int s : samples) {
            dev += Math.abs(s - mean);
        }
        return dev / samples.length;
    }

    private void ensureBuffers(Picture p) {
        if (row.length < p.width() * p.bytesPerSample()) {
            row = new byte[p.width() * p.bytesPerSample()];
        }
        if (patch.length != BLOCK + 2 * RANGE) {
            patch = new int[BLOCK + 2 * RANGE][BLOCK + 2 * RANGE];
        }
    }
}
