package dev.monoscope.worker.detect.loudness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.monoscope.worker.decode.BundledFfmpeg;
import dev.monoscope.worker.decode.DecoderOptions;
import dev.monoscope.worker.decode.StreamDecoder;
import dev.monoscope.worker.media.TestMedia;
import dev.monoscope.worker.source.SourceUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The meter against FFmpeg's ebur128 filter on the same files: every 100 ms, momentary, short-term and integrated
 * loudness within 0.1 LU (FFmpeg prints one decimal, so up to 0.05 of that is its rounding), and the true peak within
 * 0.2 dB. The worker's own decoder feeds the meter.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LoudnessMeterTest {

    private static final Pattern FRAME =
            Pattern.compile("t:\\s*([0-9.]+)\\s+TARGET:\\S+ LUFS\\s+M:\\s*(\\S+)\\s+S:\\s*(\\S+)\\s+I:\\s*(\\S+) LUFS");
    private static final Pattern PEAK = Pattern.compile("Peak:\\s+(\\S+) dBFS");

    /** Pink noise swelling and fading on the left, a tone mix on the right, with a near-silent stretch (gating). */
    static Path stereo48k() {
        return TestMedia.clip(
                "loudness-48k-stereo.wav",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "anoisesrc=color=pink:sample_rate=48000:duration=20:amplitude=0.4:seed=11",
                        "-f",
                        "lavfi",
                        "-i",
                        "aevalsrc=0.2*sin(2*PI*220*t)+0.1*sin(2*PI*1760*t)+0.05*sin(2*PI*5000*t)" + ":s=48000:d=20",
                        "-filter_complex",
                        "[0:a]volume=0.3+0.7*abs(sin(PI*t/8)):eval=frame[l];"
                                + "[1:a]volume=0.5+0.5*sin(PI*t/5):eval=frame[r];"
                                + "[l][r]join=inputs=2:channel_layout=stereo,volume=0.001:enable='between(t,9,11)'[a]",
                        "-map",
                        "[a]",
                        "-c:a",
                        "pcm_s16le"));
    }

    /** Tones and noise at 44.1 kHz, mono, 20 dB quieter from 12 s on (the relative gate drops that part). */
    static Path mono44k() {
        return TestMedia.clip(
                "loudness-44k1-mono.wav",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "anoisesrc=color=pink:sample_rate=44100:duration=20:amplitude=0.2:seed=5",
                        "-f",
                        "lavfi",
                        "-i",
                        "aevalsrc=0.15*sin(2*PI*330*t)+0.1*sin(2*PI*3000*t)*sin(2*PI*0.7*t)" + ":s=44100:d=20",
                        "-filter_complex",
                        "[0:a][1:a]amix=inputs=2:normalize=0,volume=0.1:enable='gte(t,12)'[a]",
                        "-map",
                        "[a]",
                        "-ac",
                        "1",
                        "-c:a",
                        "pcm_s16le"));
    }

    /** 5.1: the LFE must not count, the surrounds count 1.41 times. */
    static Path surround48k() {
        List<String> args = new ArrayList<>();
        StringBuilder graph = new StringBuilder();
        double[] amplitude = {0.1, 0.1, 0.2, 0.8, 0.3, 0.3};
        for (int i = 0; i < 6; i++) {
            args.addAll(List.of(
                    "-f",
                    "lavfi",
                    "-i",
                    "anoisesrc=color=pink:sample_rate=48000:duration=8:amplitude=" + amplitude[i] + ":seed="
                            + (20 + i)));
            graph.append('[').append(i).append(":a]");
        }
        graph.append("join=inputs=6:channel_layout=5.1[a]");
        args.addAll(List.of("-filter_complex", graph.toString(), "-map", "[a]", "-c:a", "pcm_s16le"));
        return TestMedia.clip("loudness-48k-5.1.wav", args);
    }

    @Test
    void stereo48kMatchesFfmpeg() throws Exception {
        compare(stereo48k());
    }

    @Test
    void mono44k1MatchesFfmpeg() throws Exception {
        compare(mono44k());
    }

    @Test
    void surroundWeighsItsChannelsAsFfmpegDoes() throws Exception {
        compare(surround48k());
    }

    /** Real content: the E-AC-3 track of a broadcast capture (44.1 kHz, at about -40 LUFS). */
    @Test
    void aBroadcastEac3TrackMatchesFfmpeg() throws Exception {
        compare(TestMedia.broadcast("test-151.ts"), 3);
    }

    /** Real content: the AAC track of a broadcast capture. */
    @Test
    void aBroadcastAacTrackMatchesFfmpeg() throws Exception {
        compare(TestMedia.broadcast("test-072.ts"), 1);
    }

    private record Reading(double t, double m, double s, double i) {}

    private static void compare(Path clip) throws Exception {
        compare(clip, 1);
    }

    /** @param track the audio track, from 1 (FFmpeg's {@code 0:a:<track - 1>}) */
    private static void compare(Path clip, int track) throws Exception {
        List<Reading> ours = new ArrayList<>();
        double peak = Double.NaN;
        try (StreamDecoder d = StreamDecoder.open(
                SourceUrl.parse(clip.toString(), true, null, null),
                DecoderOptions.cpu(10).withAudioTracks(List.of(track)))) {
            LoudnessMeter meter = null;
            long samples = 0;
            StreamDecoder.Kind k;
            while ((k = d.next()) != null) {
                if (k != StreamDecoder.Kind.AUDIO) {
                    continue;
                }
                var b = d.audioBlock(); // the only track selected
                if (meter == null) {
                    meter = new LoudnessMeter(b.sampleRate(), b.channels(), b.layoutMask(), 15 * 60);
                }
                int i = 0;
                while (i < b.samples()) {
                    int next = meter.feed(b, i);
                    samples += next - i;
                    i = next;
                    if (meter.updated()) {
                        ours.add(new Reading(
                                (double) samples / b.sampleRate(),
                                meter.momentary(),
                                meter.shortTerm(),
                                meter.integrated()));
                    }
                }
                peak = meter.truePeakDbtp();
            }
        }
        List<Reading> theirs = new ArrayList<>();
        String log = ffmpegEbur128(clip, track);
        Matcher f = FRAME.matcher(log);
        while (f.find()) {
            theirs.add(new Reading(
                    Double.parseDouble(f.group(1)),
                    Double.parseDouble(f.group(2)),
                    Double.parseDouble(f.group(3)),
                    Double.parseDouble(f.group(4))));
        }
        Matcher p = PEAK.matcher(log);
        assertThat(p.find()).as("summary peak in %s", log).isTrue();
        double theirPeak = Double.parseDouble(p.group(1));

        assertThat(ours).hasSizeGreaterThan(50);
        assertThat(theirs).hasSameSizeAs(ours);
        double maxM = 0;
        double maxS = 0;
        double maxI = 0;
        int integratedCompared = 0;
        for (int n = 0; n < ours.size(); n++) {
            Reading o = ours.get(n);
            Reading t = theirs.get(n);
            // FFmpeg stamps an update with its last sample, we with the end of it: one sample apart
            assertThat(o.t).as("update %d", n).isCloseTo(t.t, within(0.001));
            if (!Double.isNaN(o.m)) {
                assertThat(o.m).as("momentary at %.1f s", o.t).isCloseTo(t.m, within(0.1));
                maxM = Math.max(maxM, Math.abs(o.m - t.m));
            }
            if (!Double.isNaN(o.s)) {
                assertThat(o.s).as("short-term at %.1f s", o.t).isCloseTo(t.s, within(0.1));
                maxS = Math.max(maxS, Math.abs(o.s - t.s));
            }
            if (!Double.isNaN(o.i)) {
                assertThat(o.i).as("integrated at %.1f s", o.t).isCloseTo(t.i, within(0.1));
                maxI = Math.max(maxI, Math.abs(o.i - t.i));
                integratedCompared++;
            }
        }
        assertThat(integratedCompared).isGreaterThan(ours.size() / 2);
        assertThat(peak).as("true peak").isCloseTo(theirPeak, within(0.2));
        System.out.printf(
                "%s: %d updates, max |dM| %.3f, |dS| %.3f, |dI| %.3f LU; true peak %.2f vs %.1f dBTP%n",
                clip.getFileName(), ours.size(), maxM, maxS, maxI, peak, theirPeak);
    }

    static String ffmpegEbur128(Path clip) throws IOException, InterruptedException {
        return ffmpegEbur128(clip, 1);
    }

    private static String ffmpegEbur128(Path clip, int track) throws IOException, InterruptedException {
        List<String> cmd = List.of(
                BundledFfmpeg.executable().toString(),
                "-hide_banner",
                "-nostdin",
                "-v",
                "verbose",
                "-i",
                clip.toString(),
                "-map",
                "0:a:" + (track - 1),
                "-af",
                "ebur128=peak=true:framelog=verbose",
                "-f",
                "null",
                "-");
        Process proc =
                BundledFfmpeg.processBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).as(out).isZero();
        return out;
    }
}
