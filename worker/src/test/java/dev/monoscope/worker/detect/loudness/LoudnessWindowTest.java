package dev.monoscope.worker.detect.loudness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.monoscope.worker.decode.AudioBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tier 1: the meter's calibration (BS.1770: a 1 kHz sine at 0 dBFS on one channel reads -3.01 LUFS; K-weighting is
 * +0.69 dB at 1 kHz, which the -0.691 offset cancels) and its rolling window: what left the window no longer counts.
 */
@Timeout(30)
class LoudnessWindowTest {

    private static final int RATE = 48000;

    /** {@code seconds} of a 1 kHz sine of amplitude {@code a}, in 960-sample blocks (as AAC-ish decoders deliver). */
    private static void play(LoudnessMeter m, double a, double seconds, long[] clock) {
        float[] x = new float[960];
        AudioBlock b = AudioBlock.of(1, RATE, 0, new float[][] {x});
        for (int k = 0; k < seconds * RATE / x.length; k++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (a * Math.sin(2 * Math.PI * 1000 * (clock[0] + i) / RATE));
            }
            clock[0] += x.length;
            int i = 0;
            while (i < x.length) {
                i = m.feed(b, i);
            }
        }
    }

    @Test
    void aFullScaleSineReadsMinus3Lufs() {
        LoudnessMeter m = new LoudnessMeter(RATE, 1, 0, 900);
        play(m, 1.0, 4, new long[1]);
        assertThat(m.momentary()).isCloseTo(-3.01, within(0.02));
        assertThat(m.shortTerm()).isCloseTo(-3.01, within(0.02));
        assertThat(m.integrated()).isCloseTo(-3.01, within(0.02));
        assertThat(m.truePeakDbtp()).isCloseTo(0.0, within(0.01));
    }

    @Test
    void integratedLoudnessAndTruePeakForgetWhatLeftTheWindow() {
        LoudnessMeter rolling = new LoudnessMeter(RATE, 1, 0, 10);
        LoudnessMeter whole = new LoudnessMeter(RATE, 1, 0, 900);
        long[] c1 = new long[1];
        long[] c2 = new long[1];
        play(rolling, 0.5, 10, c1);
        play(whole, 0.5, 10, c2);
        assertThat(rolling.integrated()).isCloseTo(-9.03, within(0.02));
        // 10 dB down for 12 s: the 10 s window holds only that now
        play(rolling, 0.5 / Math.sqrt(10), 12, c1);
        play(whole, 0.5 / Math.sqrt(10), 12, c2);
        assertThat(rolling.integrated()).isCloseTo(-19.03, within(0.02));
        assertThat(rolling.truePeakDbtp()).isCloseTo(-16.02, within(0.02));
        // over 15 min both stretches count (the quiet one is within 10 LU of the mean, so not gated out)
        assertThat(whole.integrated()).isBetween(-13.0, -11.0);
        assertThat(whole.truePeakDbtp()).isCloseTo(-6.02, within(0.02));
    }

    @Test
    void theLfeDoesNotCountAndSurroundsCount141Times() {
        // 5.1(side): FL FR FC LFE SL SR; the same sine on LFE only, then on SL only
        long mask = 0x1 | 0x2 | 0x4 | 0x8 | 0x200 | 0x400;
        float[][] six = new float[6][4800];
        for (int i = 0; i < 4800; i++) {
            six[3][i] = (float) Math.sin(2 * Math.PI * 1000 * i / RATE);
        }
        LoudnessMeter m = new LoudnessMeter(RATE, 6, mask, 900);
        AudioBlock b = AudioBlock.of(1, RATE, 0, six);
        for (int k = 0; k < 5; k++) {
            m.feed(b, 0);
        }
        assertThat(m.momentary()).isLessThan(-120);
        six[4] = six[3];
        six[3] = new float[4800];
        for (int k = 0; k < 5; k++) {
            m.feed(b, 0);
        }
        assertThat(m.momentary()).isCloseTo(-3.01 + 10 * Math.log10(1.41), within(0.05));
    }
}
