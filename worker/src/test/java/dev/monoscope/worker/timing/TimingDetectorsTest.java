package dev.monoscope.worker.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.StreamInfo;
import dev.monoscope.worker.decode.AudioBlock;
import dev.monoscope.worker.decode.Picture;
import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.defect.DefectTracker;
import dev.monoscope.worker.detect.AvSyncDetector;
import dev.monoscope.worker.detect.FormatChangeDetector;
import dev.monoscope.worker.detect.FrameDropDetector;
import dev.monoscope.worker.detect.PictureRate;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tier 1: the format change and frame drop detectors on synthetic pictures and sound, what a stream cannot show. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimingDetectorsTest {

    private final List<Defect> ended = new ArrayList<>();
    private final DefectTracker tracker = new DefectTracker(
            "test",
            List.of(new DefectListener() {
                @Override
                public void defectStarted(Defect defect) {}

                @Override
                public void defectEnded(Defect defect) {
                    ended.add(defect);
                }
            }),
            Map.of(DefectType.FRAME_DROP, 2.0, DefectType.AV_SYNC, 2.0),
            Map.of());

    private static StreamInfo info(String videoCodec, double fps, String audioCodec) {
        StreamInfo i = new StreamInfo();
        i.videoCodec = videoCodec;
        i.frameRate = fps;
        i.width = 64;
        i.height = 36;
        i.audioCodec = audioCodec;
        return i;
    }

    /** A 64x36 picture whose content differs with {@code n} (moving video). */
    private static Picture picture(int n, int width, int height) {
        ByteBuffer luma = ByteBuffer.allocate(width * height);
        for (int i = 0; i < width * height; i++) {
            luma.put(i, (byte) (16 + (i * 7 + n * 13) % 200));
        }
        return Picture.ofLuma(luma, width, height, width, 8, false, n / 25.0);
    }

    /** Picture {@code n} (moving content) at {@code pts} s. */
    private static Picture pictureAt(int n, double pts) {
        ByteBuffer luma = ByteBuffer.allocate(64 * 36);
        for (int i = 0; i < 64 * 36; i++) {
            luma.put(i, (byte) (16 + (i * 7 + n * 13) % 200));
        }
        return Picture.ofLuma(luma, 64, 36, 64, 8, false, pts);
    }

    /**
     * Timestamps of moving pictures: {@code seconds} s at each of {@code fps} in turn, continuing one another, with
     * the pictures that {@code missing} selects (by number within the part) left out.
     */
    private static List<Double> timestamps(double[] fps, double[] seconds, java.util.function.IntPredicate[] missing) {
        List<Double> t = new ArrayList<>();
        double start = 0;
        for (int part = 0; part < fps.length; part++) {
            int n = (int) Math.round(seconds[part] * fps[part]);
            for (int k = 0; k < n; k++) {
                if (!missing[part].test(k)) {
                    t.add(start + k / fps[part]);
                }
            }
            start += n / fps[part];
        }
        return t;
    }

    private static final java.util.function.IntPredicate NONE = k -> false;

    /** Feeds the steps between {@code pts} to a {@link PictureRate}; the changes it confirmed, as {from, to, at}. */
    private static List<double[]> rateChanges(PictureRate rate, List<Double> pts) {
        List<double[]> changes = new ArrayList<>();
        for (int i = 1; i < pts.size(); i++) {
            rate.step(pts.get(i) - pts.get(i - 1), pts.get(i), Double.NaN);
            if (rate.changed()) {
                changes.add(new double[] {rate.previousRate(), rate.rate(), rate.changedAt()});
            }
        }
        return changes;
    }

    @Test
    void aPictureRateHalvedIsOneChangeFromWhereItBegan() {
        PictureRate rate = new PictureRate();
        List<double[]> changes = rateChanges(
                rate,
                timestamps(new double[] {50, 25}, new double[] {3, 3}, new java.util.function.IntPredicate[] {NONE, NONE
                }));

        assertThat(changes).hasSize(1);
        assertThat(PictureRate.rounded(changes.get(0)[0])).isEqualTo(50.0);
        assertThat(PictureRate.rounded(changes.get(0)[1])).isEqualTo(25.0);
        assertThat(changes.get(0)[2])
                .as("the first picture 40 ms after the one before")
                .isEqualTo(3.04, within(1e-9));
        assertThat(rate.inQuestion()).isFalse();
    }

    @Test
    void missingPicturesAndRoundedTimestampsAreNoRateChange() {
        // every 5th picture missing at 50 fps: 40 pictures a second, the steps still say 50
        PictureRate dropped = new PictureRate();
        assertThat(rateChanges(
                        dropped, timestamps(new double[] {50}, new double[] {6}, new java.util.function.IntPredicate[] {
                            k -> k % 5 == 4
                        })))
                .isEmpty();
        assertThat(dropped.rate()).isEqualTo(50.0);

        // half of a 25 fps stream's pictures missing from 4 s on: 12.5 is no broadcast rate, it is a drop
        PictureRate halved = new PictureRate();
        assertThat(rateChanges(
                        halved,
                        timestamps(new double[] {25, 25}, new double[] {4, 6}, new java.util.function.IntPredicate[] {
                            NONE, k -> k % 2 == 1
                        })))
                .isEmpty();

        // 29.97 fps in a millisecond time base: steps of 33 and 34 ms
        PictureRate ntsc = new PictureRate();
        List<Double> ms = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            ms.add(Math.round(n * 1001 / 30.0) / 1000.0);
        }
        assertThat(rateChanges(ntsc, ms)).isEmpty();
        assertThat(PictureRate.rounded(ntsc.rate())).isEqualTo(29.97);

        // 0.6 s of another broadcast rate is not long enough to be the stream's
        PictureRate brief = new PictureRate();
        assertThat(rateChanges(
                        brief,
                        timestamps(
                                new double[] {50, 25, 50},
                                new double[] {3, 0.6, 3},
                                new java.util.function.IntPredicate[] {NONE, NONE, NONE})))
                .isEmpty();
        assertThat(brief.rate()).isEqualTo(50.0);
    }

    @Test
    void aRateChangeIsAFormatChangeAndFrameDropsAreJudgedAgainstTheNewRate() {
        // 3 s at 50 fps, 4 s at 25 fps, then 3 s at 25 fps with every 5th picture missing (20 pictures a second)
        List<Double> pts =
                timestamps(new double[] {50, 25, 25}, new double[] {3, 4, 3}, new java.util.function.IntPredicate[] {
                    NONE, NONE, k -> k % 5 == 4
                });
        FrameDropDetector drops = new FrameDropDetector(0.9);
        FormatChangeDetector formats = new FormatChangeDetector();
        drops.opened(info("h264", 50, null), 0, tracker);
        formats.opened(info("h264", 50, null), 0, tracker);
        for (int n = 0; n < pts.size(); n++) {
            Picture p = pictureAt(n, pts.get(n));
            drops.picture(p, pts.get(n), tracker);
            formats.picture(p, pts.get(n), tracker);
        }
        tracker.finish(10);

        assertThat(ended).extracting(e -> e.type).containsExactly("format_change", "frame_drop");
        assertThat(ended.get(0).details)
                .containsEntry("what", "frameRate")
                .containsEntry("from", 50.0)
                .containsEntry("to", 25.0);
        assertThat(ended.get(0).start).isEqualTo(3.04);
        Defect drop = ended.get(1);
        assertThat(drop.start).as("the drops, not the rate change").isBetween(7.0, 7.6);
        assertThat(drop.details).containsEntry("nominalFps", 25.0);
        assertThat((Double) drop.details.get("fps")).isBetween(19.0, 21.0);
    }

    @Test
    void aPictureRateDoubledIsNoFrameDrop() {
        List<Double> pts = timestamps(
                new double[] {25, 50}, new double[] {4, 4}, new java.util.function.IntPredicate[] {NONE, NONE});
        FrameDropDetector drops = new FrameDropDetector(0.9);
        drops.opened(info("h264", 25, null), 0, tracker);
        for (int n = 0; n < pts.size(); n++) {
            drops.picture(pictureAt(n, pts.get(n)), pts.get(n), tracker);
        }
        tracker.finish(8);

        assertThat(ended).isEmpty();
    }

    @Test
    void timestampJumpsAreCountedWithTheLastOnesSize() {
        FrameDropDetector drops = new FrameDropDetector(0.9);
        drops.opened(info("h264", 25, null), 0, tracker);
        double[] pts = {0, 0.04, 0.08, 2.58, 2.62, 1.0, 1.04};
        for (int n = 0; n < pts.length; n++) {
            drops.picture(pictureAt(n, pts[n]), n * 0.04, tracker);
        }

        assertThat(drops.discontinuities().count()).isEqualTo(2);
        assertThat(drops.discontinuities().lastJumpSeconds()).isCloseTo(-1.62, within(1e-9));
        assertThat(ended).isEmpty();
    }

    private static AudioBlock block(int channels, int rate, double t) {
        return AudioBlock.of(1, rate, t, new float[channels][1024]);
    }

    @Test
    void aCodecChangedAcrossAReconnectionIsReportedOnceWithTheNextFrame() {
        FormatChangeDetector d = new FormatChangeDetector();
        d.opened(info("h264", 25, "aac"), 0, tracker);
        for (int n = 0; n < 10; n++) {
            d.picture(picture(n, 64, 36), n / 25.0, tracker);
        }
        assertThat(ended).as("the first format is no change").isEmpty();

        d.reset();
        d.opened(info("hevc", 25, "aac"), 5, tracker);
        assertThat(ended).as("not while the signal may still be lost").isEmpty();
        d.picture(picture(0, 64, 36), 6, tracker);
        d.picture(picture(1, 64, 36), 6.04, tracker);

        assertThat(ended).hasSize(1);
        Defect e = ended.get(0);
        assertThat(e.type).isEqualTo("format_change");
        assertThat(e.start).isEqualTo(6.0);
        assertThat(e.end).isEqualTo(6.0);
        assertThat(e.details)
                .containsEntry("what", "videoCodec")
                .containsEntry("from", "h264")
                .containsEntry("to", "hevc");
    }

    @Test
    void channelCountAndSampleRateChangesArePerTrackEvents() {
        FormatChangeDetector d = new FormatChangeDetector();
        d.opened(info("h264", 25, "aac"), 0, tracker);
        d.audio(block(2, 48000, 0), 0, tracker);
        d.audio(block(2, 48000, 0.021), 0.021, tracker);
        d.audio(block(6, 48000, 0.043), 0.043, tracker);
        d.audio(block(6, 44100, 0.064), 0.064, tracker);
        d.audio(block(6, 44100, 0.087), 0.087, tracker);

        assertThat(ended).extracting(e -> e.details.get("what")).containsExactly("channels", "sampleRate");
        assertThat(ended.get(0).details).containsEntry("from", 2).containsEntry("to", 6);
        assertThat(ended.get(1).details).containsEntry("from", 48000).containsEntry("to", 44100);
    }

    @Test
    void aFieldRateDeclaredForProgressivePicturesIsNoFrameDrop() {
        // 1080i-style: the stream declares 50 (fields), the pictures come at 25 per second
        FrameDropDetector d = new FrameDropDetector(0.9);
        d.opened(info("h264", 50, null), 0, tracker);
        for (int n = 0; n < 250; n++) {
            d.picture(picture(n, 64, 36), n / 25.0, tracker);
        }
        d.inputEnded(tracker);
        tracker.finish(10);

        assertThat(ended).isEmpty();
    }

    @Test
    void halfThePicturesMissingHalfWayIsAFrameDrop() {
        FrameDropDetector d = new FrameDropDetector(0.9);
        d.opened(info("h264", 25, null), 0, tracker);
        for (int n = 0; n < 250; n++) {
            if (n < 100 || n % 2 == 0) {
                d.picture(picture(n, 64, 36), n / 25.0, tracker);
            }
        }
        tracker.finish(10);

        assertThat(ended).hasSize(1);
        assertThat(ended.get(0).start).as("once the window holds under 90%").isBetween(4.0, 4.4);
        assertThat(ended.get(0).details).containsEntry("nominalFps", 25.0);
        assertThat((Double) ended.get(0).details.get("fps")).isBetween(12.0, 13.5);
    }

    /**
     * 10 s of 25 fps pictures (mid grey, white at every whole second) and 48 kHz sound (quiet, a 40 ms tone burst
     * {@code beepAfter} s after each flash), fed interleaved as a demuxer would.
     */
    private void syncPattern(AvSyncDetector d, double beepAfter) {
        ByteBuffer grey = ByteBuffer.allocate(64 * 36);
        ByteBuffer white = ByteBuffer.allocate(64 * 36);
        for (int i = 0; i < 64 * 36; i++) {
            grey.put(i, (byte) 120);
            white.put(i, (byte) 235);
        }
        int block = 1024;
        double audioTime = 0;
        for (int n = 0; n < 250; n++) {
            double t = n / 25.0;
            boolean flash = n % 25 == 0;
            d.picture(Picture.ofLuma(flash ? white : grey, 64, 36, 64, 8, false, t), t, tracker);
            while (audioTime < t + 0.04) {
                float[] samples = new float[block];
                for (int i = 0; i < block; i++) {
                    double at = audioTime + i / 48000.0 - beepAfter;
                    double inSecond = at - Math.floor(at);
                    samples[i] = at >= 0 && inSecond < 0.04 ? (float) (0.5 * Math.sin(2 * Math.PI * 1000 * at)) : 0;
                }
                d.audio(AudioBlock.of(1, 48000, audioTime, new float[][] {samples}), audioTime, tracker);
                audioTime += block / 48000.0;
            }
        }
        tracker.finish(10);
    }

    @Test
    void aBeepPairedWithItsFlashGivesTheOffset() {
        syncPattern(new AvSyncDetector(40, 60), 0.3);

        assertThat(ended).hasSize(1);
        assertThat(ended.get(0).type).isEqualTo("av_sync");
        assertThat(((Number) ended.get(0).details.get("offsetMs")).doubleValue())
                .isBetween(299.0, 301.0);
    }

    @Test
    void aBeepHalfWayBetweenTwoFlashesIsAmbiguousAndNoOffset() {
        syncPattern(new AvSyncDetector(40, 60), 0.5);

        assertThat(ended).isEmpty();
    }
}
