package dev.monoscope.worker.detect;

import dev.monoscope.worker.decode.Picture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Blocks over the rows a picture's sampling grid reads ({@link Picture#gridStep}): whole grid rows high and about as
 * many pixels wide, the last row and column of blocks taking what is left over. The freeze detector's block means and
 * its local-change look share the layout.
 */
final class BlockGrid {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long EVEN_BYTES = 0x00ff00ff00ff00ffL;

    final int width;
    final int height;
    /** Every {@code step}-th row is read, from row {@code step / 2}. */
    final int step;

    final int blockWidth;
    final int blockHeight;
    final int cols;
    final int rows;
    /** How many rows the grid reads. */
    final int gridRows;
    /** Samples read per block. */
    final int[] counts;
    /** Samples read per picture: the sum of {@link #counts}. */
    final long samplesRead;

    /**
     * @param samples how many luma samples the grid has per picture, about
     * @param pixels  blocks about this many pixels high and wide
     */
    BlockGrid(Picture p, int samples, int pixels) {
        width = p.width();
        height = p.height();
        step = p.gridStep(samples);
        int gridRowsPerBlock = Math.max(1, (int) Math.round((double) pixels / step));
        blockHeight = gridRowsPerBlock * step;
        blockWidth = Math.max(1, Math.min(width, blockHeight));
        cols = Math.max(1, width / blockWidth);
        gridRows = (height - step / 2 + step - 1) / step;
        rows = Math.max(1, gridRows / gridRowsPerBlock);
        counts = new int[cols * rows];
        for (int y = step / 2; y < height; y += step) {
            int base = rowBase(y);
            for (int bx = 0; bx < cols; bx++) {
                counts[base + bx] += columnEnd(bx) - bx * blockWidth;
            }
        }
        samplesRead = Arrays.stream(counts).asLongStream().sum();
    }

    /** Sums the luma of {@code p}'s read rows into {@code sums}, block by block; {@code row} holds one row. */
    void sum(Picture p, int[] sums, byte[] row) {
        Arrays.fill(sums, 0);
        boolean bytes = p.bytesPerSample() == 1;
        for (int y = step / 2; y < height; y += step) {
            p.copyLumaRow(y, row);
            int base = rowBase(y);
            for (int bx = 0; bx < cols; bx++) {
                int x0 = bx * blockWidth;
                int x1 = columnEnd(bx);
                int sum = 0;
                if (bytes) {
                    sum = sumOfBytes(row, x0, x1);
                } else {
                    for (int x = x0; x < x1; x++) {
                        sum += p.sample(row, x);
                    }
                }
                sums[base + bx] += sum;
            }
        }
    }

    /**
     * Per block, {@code share} of the range of samples up to {@code max}, in whole levels, times the samples read:
     * the most a block's sum may change.
     */
    long[] limits(double share, int max) {
        long level = (long) Math.ceil(share * max);
        long[] limits = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            limits[i] = level * counts[i];
        }
        return limits;
    }

    /** The mean change of the blocks from sums {@code a} to sums {@code b}, per sample read. */
    double meanChange(int[] a, int[] b) {
        long total = 0;
        for (int i = 0; i < a.length; i++) {
            total += Math.abs(a[i] - b[i]);
        }
        return (double) total / Math.max(1, samplesRead);
    }

    /**
     * Whether no block's sum changed from {@code a} to {@code b} by more than its {@code limits} entry, and their mean
     * change per sample read is at most {@code meanLimit}.
     */
    boolean within(int[] a, int[] b, long[] limits, double meanLimit) {
        long total = 0;
        for (int i = 0; i < a.length; i++) {
            long diff = Math.abs(a[i] - b[i]);
            if (diff > limits[i]) {
                return false;
            }
            total += diff;
        }
        return total <= meanLimit * Math.max(1, samplesRead);
    }

    /** Whether {@code p} has the size this grid was laid out for. */
    boolean fits(Picture p) {
        return p.width() == width && p.height() == height;
    }

    /** The index of the first block in the row of blocks that picture row {@code y} falls in. */
    int rowBase(int y) {
        return Math.min(y / blockHeight, rows - 1) * cols;
    }

    /** The column of blocks that pixel {@code x} falls in. */
    int column(int x) {
        return Math.min(x / blockWidth, cols - 1);
    }

    /** Where column {@code bx} of blocks ends (exclusive). */
    int columnEnd(int bx) {
        return bx == cols - 1 ? width : (bx + 1) * blockWidth;
    }

    /**
     * The sum of 8-bit samples {@code from} to {@code to} (exclusive), eight at a time: a long read holds eight
     * samples, and masking out every other byte adds them as four 16-bit sums, at most 510 a read, emptied every 128
     * reads before they can carry over. The compiler in use (C1) neither unrolls nor vectorises, and this loop reads
     * every sample of the grid's rows.
     */
    static int sumOfBytes(byte[] r, int from, int to) {
        int sum = 0;
        int x = from;
        while (to - x >= 8) {
            long lanes = 0;
            for (int end = Math.min(to - 7, x + 8 * 128); x < end; x += 8) {
                long v = (long) LONGS.get(r, x);
                lanes += (v & EVEN_BYTES) + ((v >>> 8) & EVEN_BYTES);
            }
            sum += (int) ((lanes & 0xffff) + ((lanes >>> 16) & 0xffff) + ((lanes >>> 32) & 0xffff) + (lanes >>> 48));
        }
        for (; x < to; x++) {
            sum += r[x] & 0xff;
        }
        return sum;
    }
}
