package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.worker.decode.Picture;

/**
 * Black video with FFmpeg blackdetect's semantics: a picture is black when at least {@code pictureBlackRatio} of
 * its luma samples are at or under {@code pixelBlackThreshold} of the nominal range (16..235 for limited range,
 * 0..255 for full, scaled for deeper samples). Reads a grid of about {@code samples} points.
 */
public final class BlackDetector implements VideoDetector {

    private static final String KEY = DefectType.BLACK.id();

    private final double pictureBlackRatio;
    private final double pixelBlackThreshold;
    private final int samples;

    /** @param samples how many luma samples to read per picture, about (0: every one) */
    public BlackDetector(double pictureBlackRatio, double pixelBlackThreshold, int samples) {
        this.pictureBlackRatio = pictureBlackRatio;
        this.pixelBlackThreshold = pixelBlackThreshold;
        this.samples = samples;
    }

    @Override
    public void picture(Picture p, double time, DefectSink tracker) {
        tracker.observe(KEY, DefectType.BLACK, isBlack(p), time, null);
    }

    /** Whether this picture counts as black. */
    public boolean isBlack(Picture p) {
        double lo = p.blackLevel();
        double hi = p.whiteLevel();
        int threshold = (int) Math.floor(lo + pixelBlackThreshold * (hi - lo));
        int h = p.height();
        int step = p.gridStep(samples);
        long total = p.gridPoints(step);
        long allowedBright = (long) Math.floor(total * (1 - pictureBlackRatio));
        long black = 0;
        long bright = 0;
        int columns = p.gridColumns(step);
        for (int y = step / 2; y < h; y += step) {
            int[] row = p.gridRow(y, step);
            for (int k = 0; k < columns; k++) {
                if (row[k] > threshold) {
                    if (++bright > allowedBright) {
                        return false; // most pictures are not black: stop at the first proof
                    }
                } else {
                    black++;
                }
            }
        }
        return total > 0 && black >= pictureBlackRatio * total;
    }
}
