package dev.monoscope.worker.detect;

import dev.monoscope.worker.decode.Picture;

/**
 * Whether a picture's colour moved since a reference picture, where luma cannot tell: the mean of each chroma
 * component over cells of about 1/{@value #CELLS_HIGH} of the picture's height, compared cell by cell. A picture whose
 * only structure is colour (a band of one hue panning over another of nearly the same luma) has flat luma, which a
 * freeze run's block means and motion looks all pass, while its chroma means move; a frozen picture's, however
 * re-encoded, stay: coding noise averages out of a cell. FFmpeg's {@code freezedetect} compares all three planes too.
 */
final class ChromaChange {

    static final int CELLS_HIGH = 12;
    /** The most a cell's chroma mean may move (share of the range) in a frozen picture. */
    static final double CHANGE = 0.04;

    private int width = -1;
    private int height = -1;
    private int cell;
    private boolean referenced;
    private double[] cb = new double[0];
    private double[] cr = new double[0];
    private double[] referenceCb = new double[0];
    private double[] referenceCr = new double[0];

    /** Takes {@code p} as the reference. */
    void reference(Picture p) {
        if (p.width() != width || p.height() != height) {
            width = p.width();
            height = p.height();
            cell = Math.max(4, height / CELLS_HIGH / 4 * 4); // whole chroma samples in 4:2:0 and 4:2:2
            int cells = (width / cell) * (height / cell);
            cb = new double[cells];
            cr = new double[cells];
            referenceCb = new double[cells];
            referenceCr = new double[cells];
        }
        referenced = p.chromaCellMeans(1, cell, referenceCb) && p.chromaCellMeans(2, cell, referenceCr);
    }

    /** Whether {@code p}'s colour moved since the reference; false when it cannot tell (no chroma, another size). */
    boolean changed(Picture p) {
        if (!referenced
                || p.width() != width
                || p.height() != height
                || !p.chromaCellMeans(1, cell, cb)
                || !p.chromaCellMeans(2, cell, cr)) {
            return false;
        }
        double limit = CHANGE * p.maxValue();
        for (int i = 0; i < cb.length; i++) {
            if (Math.abs(cb[i] - referenceCb[i]) > limit || Math.abs(cr[i] - referenceCr[i]) > limit) {
                return true;
            }
        }
        return false;
    }
}
