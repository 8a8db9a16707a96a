package dev.monoscope.worker.detect;

import dev.monoscope.worker.decode.Picture;
import java.util.Arrays;

/**
 * Whether the whole picture moved since a reference picture, by a global motion fit: a pan, a zoom about the centre
 * and a change of brightness, fitted by least squares to the picture's change on a coarse copy of it (cells of
 * 1/{@value #CELLS_HIGH} of its height). Block matching needs texture, and a slow zoom over a smooth picture (a sky, a
 * gradient, a defocused background) has none, while its block means drift too slowly to end a freeze run. Its change
 * still follows the picture's gradients everywhere at once, so the fit explains a share of it that grain, coding
 * noise and a re-encoded frozen picture do not reach (under 1 % on the tuning set's freezes, 3 % and more on its slow
 * zoom over a gradient once it shifted by a pixel). The picture moved when the fit shifts its corners by at least
 * {@value #MIN_SHIFT} pixel and explains at least {@value #MIN_EXPLAINED} of the change.
 */
final class GlobalMotion {

    static final int CELLS_HIGH = 135;
    /** The least shift of the picture's corners (pixels) that counts as motion: less is within coding noise. */
    static final double MIN_SHIFT = 1.0;
    /** The least share of the picture's change the fitted motion must explain. */
    static final double MIN_EXPLAINED = 0.02;

    /** A change of less than this mean square (in cell sums per sample, squared) is no change to explain. */
    private static final double NO_CHANGE = 0.01;

    private int width = -1;
    private int height = -1;
    private int cell;
    private int cols;
    private int rows;
    private int[] reference = new int[0];
    /** A picture before the reference, when {@link #hasStart}: a second, longer baseline for the fit. */
    private int[] start = new int[0];

    private boolean hasStart;
    /** Whether {@link #current} holds the picture {@link #moved} looked at last. */
    private boolean hasCurrent;

    private int[] current = new int[0];
    private byte[] row = new byte[0];

    /** Takes {@code p} as the reference. */
    void reference(Picture p) {
        if (p.width() != width || p.height() != height) {
            layout(p);
        }
        coarse(p, reference);
    }

    /** Takes {@code p}, a picture before the reference, as a second one ({@link RunMotion#start}). */
    void start(Picture p) {
        if (p.width() != width || p.height() != height) {
            layout(p);
        }
        coarse(p, start);
        hasStart = true;
    }

    /** Forgets the picture {@link #start} took. */
    void forgetStart() {
        hasStart = false;
    }

    /** Whether {@code p} shows the reference moved as a whole; false when it cannot tell (flat, another size). */
    boolean moved(Picture p) {
        if (p.width() != width || p.height() != height || cols < 3 || rows < 3) {
            hasCurrent = false;
            return false;
        }
        coarse(p, current);
        hasCurrent = true;
        return fitted(reference);
    }

    /** Whether the picture {@link #moved} looked at last shows the one {@link #start} took moved as a whole. */
    boolean movedSinceStart() {
        return hasStart && hasCurrent && fitted(start);
    }

    /** Whether the fit of a pan and zoom to the change from {@code from} to the current picture finds motion. */
    private boolean fitted(int[] from) {
        // d ≈ a·gx + b·gy + z·gz + g over the inner cells, where (gx, gy) is the reference's gradient and gz its
        // gradient along the rays from the centre: the change a shift (a, b) and a zoom z make to first order
        double[][] m = new double[4][5];
        double sumDd = 0;
        double cx = (cols - 1) / 2.0;
        double cy = (rows - 1) / 2.0;
        double[] g = new double[4];
        for (int r = 1; r < rows - 1; r++) {
            for (int c = 1; c < cols - 1; c++) {
                int i = r * cols + c;
                double gx = (from[i + 1] - from[i - 1]) / 2.0;
                double gy = (from[i + cols] - from[i - cols]) / 2.0;
                g[0] = gx;
                g[1] = gy;
                g[2] = gx * (c - cx) + gy * (r - cy);
                g[3] = 1;
                double d = current[i] - from[i];
                for (int j = 0; j < 4; j++) {
                    for (int k = j; k < 4; k++) {
                        m[j][k] += g[j] * g[k];
                    }
                    m[j][4] += g[j] * d;
                }
                sumDd += d * d;
            }
        }
        double n = m[3][3]; // the offset's column is all ones: its sums count the cells and add up the change
        double sumD = m[3][4];
        double perSample = (double) cell * cell;
        double changed = sumDd - sumD * sumD / n;
        if (changed <= NO_CHANGE * perSample * perSample * n) {
            return false;
        }
        double[] v = {m[0][4], m[1][4], m[2][4], m[3][4]};
        double[] fit = solve(m);
        if (fit == null) {
            return false;
        }
        double explainedSquares = 0;
        for (int j = 0; j < 4; j++) {
            explainedSquares += fit[j] * v[j];
        }
        double explained = (explainedSquares - sumD * sumD / n) / changed;
        double shift = cell * (Math.hypot(fit[0], fit[1]) + Math.abs(fit[2]) * Math.hypot(cx, cy));
        return shift >= MIN_SHIFT && explained >= MIN_EXPLAINED;
    }

    /**
     * Solves the normal equations {@code m} (upper triangle and right-hand side filled) by Gaussian elimination with
     * partial pivoting; null when they are singular (a picture without gradients in some direction).
     */
    private static double[] solve(double[][] m) {
        int n = m.length;
        double scale = 0;
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < j; k++) {
                m[j][k] = m[k][j];
            }
            scale = Math.max(scale, m[j][j]);
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(m[pivot][col]) <= 1e-12 * scale) {
                return null;
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int k = col; k <= n; k++) {
                    m[r][k] -= f * m[col][k];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int k = r + 1; k < n; k++) {
                s -= m[r][k] * x[k];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }

    /** Sums each cell of {@code p} into {@code out}. */
    private void coarse(Picture p, int[] out) {
        Arrays.fill(out, 0);
        boolean bytes = p.bytesPerSample() == 1;
        for (int y = 0; y < rows * cell; y++) {
            p.copyLumaRow(y, row);
            int base = (y / cell) * cols;
            for (int c = 0; c < cols; c++) {
                int sum = 0;
                int x1 = (c + 1) * cell;
                for (int x = c * cell; x < x1; x++) {
                    sum += bytes ? row[x] & 0xff : p.sample(row, x);
                }
                out[base + c] += sum;
            }
        }
    }

    private void layout(Picture p) {
        width = p.width();
        height = p.height();
        cell = Math.max(2, (int) Math.round((double) height / CELLS_HIGH));
        cols = width / cell;
        rows = height / cell;
        reference = new int[cols * rows];
        start = new int[cols * rows];
        hasStart = false;
        current = new int[cols * rows];
        row = new byte[width * p.bytesPerSample()];
    }
}
