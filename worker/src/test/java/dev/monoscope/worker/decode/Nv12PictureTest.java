package dev.monoscope.worker.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV12;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_P010LE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P10LE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.defect.DefectTracker;
import dev.monoscope.worker.detect.BlackDetector;
import dev.monoscope.worker.detect.FreezeDetector;
import dev.monoscope.worker.detect.VideoDetector;
import dev.monoscope.worker.media.TestMedia;
import dev.monoscope.worker.source.SourceUrl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CUDA decoders hand back NV12 (P010 for 10-bit): luma plus one plane of interleaved U/V. Built here from the
 * same decoded pixels as planar yuv420p frames, both must give the black and freeze detectors the same defects.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Nv12PictureTest {

    /** 9 s, 320x240 25 fps: frozen from 1 s to 4 s, black from 5 s to 8 s. */
    static Path clip() {
        return TestMedia.clip(
                "decode-freeze-black.ts",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=320x240:rate=25:duration=6",
                        "-vf",
                        "loop=loop=75:size=1:start=25,setpts=N/25/TB,"
                                + "drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='gte(t,5)*lt(t,8)'",
                        "-c:v",
                        "libopenh264",
                        "-b:v",
                        "400k",
                        "-g",
                        "25"));
    }

    /** One layout's detectors and the defects they raised. */
    static final class Lane {
        final List<Defect> defects = new ArrayList<>();
        final List<VideoDetector> detectors =
                List.of(new BlackDetector(0.98, 0.10, 20_000), new FreezeDetector(0.001, 20_000));
        final DefectTracker tracker = new DefectTracker(
                "test",
                List.of(new DefectListener() {
                    @Override
                    public void defectStarted(Defect d) {}

                    @Override
                    public void defectEnded(Defect d) {
                        defects.add(d.copy());
                    }
                }),
                Map.of(DefectType.BLACK, 2.0, DefectType.FREEZE, 2.0),
                Map.of());

        void picture(AVFrame f, double t) {
            Picture p = new Picture();
            p.describe(f);
            p.joined = true;
            p.trustworthy = true;
            p.pts = t;
            for (VideoDetector d : detectors) {
                d.picture(p, t, tracker);
            }
        }

        List<String> summary(double end) {
            for (VideoDetector d : detectors) {
                d.inputEnded(tracker);
            }
            tracker.finish(end);
            return defects.stream()
                    .map(d -> d.type + " " + d.start + ".." + d.end)
                    .toList();
        }
    }

    @Test
    void blackAndFreezeSeeTheSameInNv12AndP010AsInPlanarYuv() throws Exception {
        Lane[] lanes = {new Lane(), new Lane(), new Lane(), new Lane()}; // one a layout, as in LAYOUTS
        double t = 0;
        double first = 0;
        int pictures = 0;
        try (StreamDecoder d =
                StreamDecoder.open(SourceUrl.parse(clip().toString(), true, null, null), DecoderOptions.cpu(10))) {
            StreamDecoder.Kind k;
            while ((k = d.next()) != null) {
                if (k != StreamDecoder.Kind.VIDEO) {
                    continue;
                }
                AVFrame src = d.picture().frame();
                assertThat(src.format()).isEqualTo(AV_PIX_FMT_YUV420P);
                if (pictures++ == 0) {
                    first = d.picture().pts(); // MPEG-TS clocks do not start at 0
                }
                t = Math.round((d.picture().pts() - first) * 1000) / 1000.0;
                int w = src.width();
                int h = src.height();
                byte[] y = plane(src, 0, w, h);
                byte[] u = plane(src, 1, w / 2, h / 2);
                byte[] v = plane(src, 2, w / 2, h / 2);
                for (int l = 0; l < LAYOUTS.length; l++) {
                    Lane lane = lanes[l];
                    double at = t;
                    withFrame(LAYOUTS[l], y, u, v, w, h, f -> lane.picture(f, at));
                }
            }
        }
        assertThat(pictures).isEqualTo(225);
        List<String> expected = lanes[0].summary(t);
        assertThat(expected).hasSize(2);
        // frozen from 1 s: the run may take in a picture or two of slow motion before it (within 0.1 s)
        assertThat(expected.get(0)).matches("freeze (0\\.9|1\\.0).*");
        assertThat(expected.get(1)).startsWith("black 5.");
        assertThat(lanes[1].summary(t)).as("NV12").isEqualTo(expected);
        assertThat(lanes[2].summary(t)).as("yuv420p10le").isEqualTo(expected);
        assertThat(lanes[3].summary(t)).as("P010").isEqualTo(expected);
    }

    @Test
    void chromaCellMeansReadTheSameInEveryLayout() {
        int w = 64;
        int h = 32;
        byte[] y = new byte[w * h];
        byte[] u = new byte[w * h / 4];
        byte[] v = new byte[w * h / 4];
        for (int i = 0; i < u.length; i++) {
            u[i] = (byte) (i % (w / 2) < w / 4 ? 60 : 200); // left half 60, right half 200
            v[i] = (byte) 90;
        }
        for (int k = 0; k < LAYOUTS.length; k++) {
            int format = LAYOUTS[k];
            double scale = k < 2 ? 1 : 4; // 10-bit: the same values times 4
            withFrame(format, y, u, v, w, h, f -> {
                Picture p = new Picture();
                p.describe(f);
                double[] cb = new double[8];
                double[] cr = new double[8];
                assertThat(p.chromaCellMeans(1, 16, cb) && p.chromaCellMeans(2, 16, cr))
                        .isTrue();
                assertThat(p.chromaCellMeans(1, 64, cb)).as("no whole cell").isFalse();
                double lo = 60 * scale;
                double hi = 200 * scale;
                assertThat(cb).as("Cb, format %d", format).containsExactly(lo, lo, hi, hi, lo, lo, hi, hi);
                assertThat(cr).as("Cr").containsOnly(90 * scale);
            });
        }
    }

    /** The layouts the tests compare: planar yuv420p and NV12, then 10-bit planar yuv420p10le and P010. */
    private static final int[] LAYOUTS = {AV_PIX_FMT_YUV420P, AV_PIX_FMT_NV12, AV_PIX_FMT_YUV420P10LE, AV_PIX_FMT_P010LE
    };

    /**
     * Hands {@code use} a frame of {@code format} (one of {@link #LAYOUTS}) holding the 8-bit 4:2:0 planes y, u and v:
     * planar or with interleaved chroma; 10-bit, the same values times 4, in the low bits (yuv420p10le) or the high
     * bits (P010) of 16-bit words.
     */
    private static void withFrame(int format, byte[] y, byte[] u, byte[] v, int w, int h, Consumer<AVFrame> use) {
        boolean tenBit = format == AV_PIX_FMT_YUV420P10LE || format == AV_PIX_FMT_P010LE;
        int bytes = tenBit ? 2 : 1;
        int shift = format == AV_PIX_FMT_P010LE ? 8 : tenBit ? 2 : 0;
        AVFrame f = av_frame_alloc();
        try {
            f.format(format);
            f.width(w);
            f.height(h);
            assertThat(av_frame_get_buffer(f, 32)).isZero();
            write(f, 0, y, w, h, bytes, shift);
            if (format == AV_PIX_FMT_NV12 || format == AV_PIX_FMT_P010LE) {
                write(f, 1, interleave(u, v), w, h / 2, bytes, shift);
            } else {
                write(f, 1, u, w / 2, h / 2, bytes, shift);
                write(f, 2, v, w / 2, h / 2, bytes, shift);
            }
            use.accept(f);
        } finally {
            av_frame_free(f);
        }
    }

    private static byte[] plane(AVFrame f, int i, int w, int h) {
        byte[] out = new byte[w * h];
        BytePointer p = f.data(i);
        int stride = f.linesize(i);
        for (int row = 0; row < h; row++) {
            p.position((long) row * stride).get(out, row * w, w);
        }
        return out;
    }

    private static byte[] interleave(byte[] u, byte[] v) {
        byte[] uv = new byte[u.length * 2];
        for (int i = 0; i < u.length; i++) {
            uv[2 * i] = u[i];
            uv[2 * i + 1] = v[i];
        }
        return uv;
    }

    /** Writes 8-bit samples as {@code bytes}-wide little-endian samples shifted up by {@code shift} bits. */
    private static void write(AVFrame f, int i, byte[] samples, int w, int h, int bytes, int shift) {
        BytePointer p = f.data(i);
        int stride = f.linesize(i);
        byte[] row = new byte[w * bytes];
        for (int r = 0; r < h; r++) {
            for (int x = 0; x < w; x++) {
                int s = (samples[r * w + x] & 0xff) << shift;
                row[x * bytes] = (byte) s;
                if (bytes == 2) {
                    row[x * bytes + 1] = (byte) (s >> 8);
                }
            }
            p.position((long) r * stride).put(row, 0, row.length);
        }
        p.position(0);
    }
}
