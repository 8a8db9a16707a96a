package dev.monoscope.worker.detect;

import dev.monoscope.worker.decode.Picture;
import java.util.Arrays;

/**
 * Blocks over the rows a picture's sampling grid reads ({@link Picture#gridStep}): whole grid rows high and about as
 * many pixels wide, the last row and column of blocks taking what is left over. The freeze detector's block means and
 * its local-change look share the layout.
 */
final class BlockGrid {

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
}
