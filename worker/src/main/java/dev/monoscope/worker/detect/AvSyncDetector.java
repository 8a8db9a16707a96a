package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.StreamInfo;
import dev.monoscope.worker.decode.AudioBlock;
import dev.monoscope.worker.decode.Picture;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Picture/sound offset from a sync signal in the content, as sync test patterns carry it: a flash (a picture whose
 * mean luma jumps at least {@value #FLASH_JUMP} of the nominal range (black to white: 16..235 in limited range) above
 * the recent pictures' and falls back within
 * {@value #MAX_FLASH_SECONDS} s) and a beep on audio track 1 (a burst of at most {@value #MAX_BURST_SECONDS} s whose
 * first sample reaches {@value #BEEP_LEVEL} of full scale after {@value #QUIET_BEFORE_SECONDS} s under it). Each flash
 * is paired with the nearest beep within ±{@value #PAIR_SECONDS} s, unless another one is nearly as near (then the
 * pair is ambiguous and skipped): offset = beep onset − flash time on the media clock, positive when the audio is
 * late. Each pair is one verdict, out of range when the audio is more than {@code maxAudioEarlyMs} early or
 * {@code maxAudioLateMs} late. Content without a sync signal gives no verdict at all; a defect still open when the
 * signal stops for {@value #SIGNAL_GONE_SECONDS} s ends a second after the last pair. Timestamps alone never give an
 * offset: streams legitimately start at different times.
 */
public final class AvSyncDetector implements VideoDetector, AudioDetector {

    private static final String KEY = DefectType.AV_SYNC.id();
    static final double FLASH_JUMP = 0.25;
    static final double MAX_FLASH_SECONDS = 0.25;
    static final double BEEP_LEVEL = 0.03;
    static final double QUIET_BEFORE_SECONDS = 0.15;
    static final double MAX_BURST_SECONDS = 0.5;
    /** Under the beep level this long, a burst has ended. */
    static final double BURST_GAP_SECONDS = 0.05;

    static final double PAIR_SECONDS = 1.0;
    /** A second beep this much nearer than the nearest plus this margin makes a pair ambiguous. */
    static final double AMBIGUITY_SECONDS = 0.2;

    static final double SIGNAL_GONE_SECONDS = 5.0;
    private static final int GRID_SAMPLES = 1024;
    private static final int BASELINE = 8;
    private static final int RING = 32;

    private final double maxEarly;
    private final double maxLate;

    // video: the recent pictures' mean luma, and the flash going on
    private final double[] recent = new double[BASELINE];
    private int recentCount;
    private int recentNext;
    private boolean inFlash;
    private double flashTime;
    private double flashBaseline;
    private final double[] flashes = new double[RING];
    private int flashCount;

    // audio track 1: the last sample at the beep level, the burst going on, the beeps found
    private double lastLoud = Double.NaN;
    private boolean inBurst;
    private double onset;
    private final double[] beeps = new double[RING];
    private int beepCount;
    private int beepNext;
    private double audioSeen = Double.NEGATIVE_INFINITY;

    private double lastPair = Double.NaN;

    public AvSyncDetector(double maxAudioEarlyMs, double maxAudioLateMs) {
        this.maxEarly = maxAudioEarlyMs / 1000;
        this.maxLate = maxAudioLateMs / 1000;
    }

    @Override
    public void picture(Picture p, double time, DefectSink tracker) {
        double level = meanLuma(p);
        if (inFlash) {
            if (level < flashBaseline + FLASH_JUMP / 2) {
                inFlash = false;
                if (time - flashTime <= MAX_FLASH_SECONDS + 1e-6) {
                    addFlash(flashTime);
                }
                remember(level);
            } else if (time - flashTime > MAX_FLASH_SECONDS + 1e-6) {
                inFlash = false; // a cut to a brighter picture, not a flash: it is the new baseline
                recentCount = 0;
                remember(level);
            }
        } else if (recentCount >= BASELINE / 2 && level - baseline() >= FLASH_JUMP) {
            inFlash = true;
            flashTime = time;
            flashBaseline = baseline();
        } else {
            remember(level);
        }
        pair(tracker);
        if (!Double.isNaN(lastPair) && time - lastPair > SIGNAL_GONE_SECONDS) {
            tracker.observe(KEY, DefectType.AV_SYNC, false, lastPair + 1, time, null);
            lastPair = Double.NaN;
        }
    }

    @Override
    public void audio(AudioBlock b, double time, DefectSink tracker) {
        if (b.track() != 1) {
            return;
        }
        int n = b.samples();
        int channels = b.channels();
        double rate = b.sampleRate();
        if (Double.isNaN(lastLoud)) {
            lastLoud = time; // no quiet seen before the first sample
        }
        for (int i = 0; i < n; i++) {
            double t = time + i / rate;
            boolean loud = false;
            for (int ch = 0; ch < channels && !loud; ch++) {
                float v = b.channel(ch)[i];
                loud = v >= BEEP_LEVEL || v <= -BEEP_LEVEL;
            }
            if (loud) {
                if (!inBurst && t - lastLoud >= QUIET_BEFORE_SECONDS) {
                    inBurst = true;
                    onset = t;
                }
                lastLoud = t;
                if (inBurst && t - onset > MAX_BURST_SECONDS) {
                    inBurst = false; // too long for a beep: a tone, speech, music
                }
            } else if (inBurst && t - lastLoud >= BURST_GAP_SECONDS) {
                inBurst = false;
                beeps[beepNext] = onset;
                beepNext = (beepNext + 1) % RING;
                beepCount = Math.min(beepCount + 1, RING);
            }
        }
        audioSeen = Math.max(audioSeen, time + n / rate);
        pair(tracker);
    }

    /** Pairs the flashes whose beeps, if any, the audio has shown by now. */
    private void pair(DefectSink tracker) {
        double settled = audioSeen - PAIR_SECONDS - MAX_BURST_SECONDS - BURST_GAP_SECONDS - 0.01;
        int done = 0;
        while (done < flashCount && flashes[done] <= settled) {
            measure(flashes[done], tracker);
            done++;
        }
        if (done > 0) {
            System.arraycopy(flashes, done, flashes, 0, flashCount - done);
            flashCount -= done;
        }
    }

    private void measure(double flash, DefectSink tracker) {
        double nearest = Double.NaN;
        double second = Double.POSITIVE_INFINITY;
        for (int k = 0; k < beepCount; k++) {
            double d = beeps[k] - flash;
            if (Math.abs(d) > PAIR_SECONDS) {
                continue;
            }
            if (Double.isNaN(nearest) || Math.abs(d) < Math.abs(nearest)) {
                if (!Double.isNaN(nearest)) {
                    second = Math.abs(nearest);
                }
                nearest = d;
            } else {
                second = Math.min(second, Math.abs(d));
            }
        }
        if (Double.isNaN(nearest) || second - Math.abs(nearest) < AMBIGUITY_SECONDS) {
            return;
        }
        boolean out = nearest < -maxEarly - 1e-9 || nearest > maxLate + 1e-9;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("offsetMs", Math.round(nearest * 1000));
        tracker.observe(KEY, DefectType.AV_SYNC, out, flash, flash, details);
        lastPair = flash;
    }

    private void addFlash(double time) {
        if (flashCount == RING) {
            System.arraycopy(flashes, 1, flashes, 0, RING - 1); // no audio to pair with: keep the latest
            flashCount--;
        }
        flashes[flashCount++] = time;
    }

    private void remember(double level) {
        recent[recentNext] = level;
        recentNext = (recentNext + 1) % BASELINE;
        recentCount = Math.min(recentCount + 1, BASELINE);
    }

    private double baseline() {
        double sum = 0;
        for (int k = 0; k < recentCount; k++) {
            sum += recent[(recentNext - 1 - k + BASELINE) % BASELINE];
        }
        return sum / recentCount;
    }

    /** Mean luma on a grid, as a fraction of the sample range. */
    private static double meanLuma(Picture p) {
        int h = p.height();
        int step = p.gridStep(GRID_SAMPLES);
        long sum = 0;
        int columns = p.gridColumns(step);
        for (int y = step / 2; y < h; y += step) {
            int[] row = p.gridRow(y, step);
            for (int k = 0; k < columns; k++) {
                sum += row[k];
            }
        }
        int n = p.gridPoints(step);
        if (n == 0) {
            return 0;
        }
        // of the nominal range, black to white: in limited range a black-to-white flash is 219 of 255 levels, and one
        // over a bright picture (mean 170) rose 59 to 73: a quarter of 255 missed some, a quarter of 219 does not
        return (sum / (double) n - p.blackLevel()) / (p.whiteLevel() - p.blackLevel());
    }

    @Override
    public void opened(StreamInfo info, double time, DefectSink tracker) {
        // nothing to learn from the declared format: the offset is in the content
    }

    @Override
    public void reset() {
        recentCount = 0;
        recentNext = 0;
        inFlash = false;
        flashCount = 0;
        lastLoud = Double.NaN;
        inBurst = false;
        beepCount = 0;
        beepNext = 0;
        audioSeen = Double.NEGATIVE_INFINITY;
    }
}
