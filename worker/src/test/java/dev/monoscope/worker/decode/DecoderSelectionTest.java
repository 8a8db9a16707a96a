package dev.monoscope.worker.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.monoscope.api.worker.DecoderInfo;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.media.TestMedia;
import dev.monoscope.worker.monitor.Monitor;
import dev.monoscope.worker.monitor.MonitorSettings;
import dev.monoscope.worker.report.ReportState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where the worker decodes: the decision itself, then real decodes of a small clip on this machine (no CUDA), where
 * auto and gpu must go on on the CPU and the report must say why, and a decoder failing mid-stream must fail over to
 * the CPU without losing the defects after it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DecoderSelectionTest {

    /** 8 s, 320x240 25 fps, a keyframe every second, black from 4 s to 7 s. */
    static Path blackClip() {
        return TestMedia.clip(
                "decode-black-4-7.ts",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=320x240:rate=25:duration=8",
                        "-vf",
                        "drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='gte(t,4)*lt(t,7)'",
                        "-c:v",
                        "libopenh264",
                        "-b:v",
                        "400k",
                        "-g",
                        "25"));
    }

    /** One monitored file: the final report plus every defect that ended. */
    record Run(DecoderInfo decoder, List<Defect> defects, long pictures) {}

    static Run monitor(Path clip, String mode, long failAfter) {
        MonitorSettings s = new MonitorSettings();
        s.url = clip.toString();
        s.allowLocalFiles = true;
        s.decoder = mode;
        s.decoderThreads = 1;
        s.failDecoderAfterPictures = failAfter;
        ReportState state = new ReportState();
        List<Defect> ended = new ArrayList<>();
        Monitor m = new Monitor(s, state, List.of(new DefectListener() {
            @Override
            public void defectStarted(Defect defect) {}

            @Override
            public void defectEnded(Defect defect) {
                synchronized (ended) {
                    ended.add(defect.copy());
                }
            }
        }));
        m.run();
        assertThat(m.error()).isNull();
        return new Run(state.snapshot().decoder, ended, m.summary().videoFrames());
    }

    @Test
    void cpuIsAlwaysTheCpuWithNoReason() {
        DecoderSelection s = DecoderSelection.choose("cpu", null, "h264");
        assertThat(s.gpu()).isFalse();
        assertThat(s.info()).isEqualTo(new DecoderInfo("cpu", "cpu", null));
    }

    @Test
    void autoAndGpuPickTheCuvidDecoderOfTheCodecWhenCudaIsUsable() {
        assertThat(DecoderSelection.choose("auto", null, "h264").cuvidDecoder()).isEqualTo("h264_cuvid");
        assertThat(DecoderSelection.choose("gpu", null, "hevc").cuvidDecoder()).isEqualTo("hevc_cuvid");
        // FFmpeg's codec name is mpeg2video, its NVDEC decoder mpeg2_cuvid
        assertThat(DecoderSelection.choose("auto", null, "mpeg2video").cuvidDecoder())
                .isEqualTo("mpeg2_cuvid");
        assertThat(DecoderSelection.choose("auto", null, "vp9").cuvidDecoder()).isEqualTo("vp9_cuvid");
        assertThat(DecoderSelection.choose("auto", null, "av1").info())
                .isEqualTo(new DecoderInfo("cuda", "auto", null));
    }

    @Test
    void withoutCudaOrACudaDecoderTheCpuDecodesAndTheReasonSaysWhy() {
        DecoderSelection noCuda = DecoderSelection.choose("gpu", "no usable CUDA device (x)", "h264");
        assertThat(noCuda.gpu()).isFalse();
        assertThat(noCuda.info()).isEqualTo(new DecoderInfo("cpu", "gpu", "no usable CUDA device (x)"));

        DecoderSelection prores = DecoderSelection.choose("auto", null, "prores");
        assertThat(prores.info()).isEqualTo(new DecoderInfo("cpu", "auto", "no CUDA decoder for prores"));

        DecoderInfo early = DecoderSelection.failedMidStream(
                new DecoderInfo("cuda", "auto", null),
                "hevc_cuvid",
                Double.NEGATIVE_INFINITY,
                "Function not implemented");
        assertThat(early)
                .isEqualTo(new DecoderInfo(
                        "cpu",
                        "auto",
                        "hevc_cuvid failed before its first picture "
                                + "(Function not implemented): decoding on the CPU from the last keyframe"));

        DecoderInfo busy = DecoderSelection.choose("auto", null, "h264")
                .cudaOpenFailed("Out of memory")
                .info();
        assertThat(busy.type).isEqualTo("cpu");
        assertThat(busy.reason).isEqualTo("h264_cuvid cannot decode this stream: Out of memory");
    }

    @Test
    void onTheGpuWithoutPixelAnalysisTheReportSaysCorruptionRunsWithReducedCoverage() {
        DecoderInfo cuda = DecoderSelection.choose("auto", null, "h264").info();
        assertThat(DecoderSelection.reducedCoverage(cuda, List.of("black", "corruption", "signalLoss"), false))
                .containsOnlyKeys("corruption");
        assertThat(DecoderSelection.reducedCoverage(cuda, List.of("black", "corruption", "signalLoss"), true))
                .as("the pixel detector is the corruption detector on the GPU")
                .isNull();
        assertThat(DecoderSelection.reducedCoverage(cuda, List.of("black", "signalLoss"), false))
                .isNull();
        DecoderInfo cpu = DecoderSelection.choose("gpu", "no usable CUDA device (x)", "h264")
                .info();
        assertThat(DecoderSelection.reducedCoverage(cpu, List.of("black", "corruption"), false))
                .isNull();
    }

    @Test
    void autoAndGpuDecodeOnTheCpuOfAMachineWithoutCuda() {
        assumeTrue(CudaProbe.problem() != null, "this machine has CUDA");
        for (String mode : List.of("auto", "gpu")) {
            Run run = monitor(blackClip(), mode, 0);
            assertThat(run.decoder().type).as(mode).isEqualTo("cpu");
            assertThat(run.decoder().requested).isEqualTo(mode);
            assertThat(run.decoder().reason).as(mode).startsWith("no usable CUDA device");
            assertThat(run.defects()).extracting(d -> d.type).containsExactly("black");
            assertThat(run.pictures()).isEqualTo(200);
        }
        Run cpu = monitor(blackClip(), "cpu", 0);
        assertThat(cpu.decoder()).isEqualTo(new DecoderInfo("cpu", "cpu", null));
    }

    @Test
    void aDecoderFailingMidStreamFailsOverToTheCpuAndKeepsTheDefectsAfterIt() {
        Run clean = monitor(blackClip(), "cpu", 0);
        // fails at 2.4 s, between keyframes: the CPU decoder takes over from the keyframe at 2 s
        Run failed = monitor(blackClip(), "cpu", 60);

        assertThat(failed.decoder().type).isEqualTo("cpu");
        assertThat(failed.decoder().reason)
                .containsPattern("^h264 failed at stream time \\d+\\.\\d{3} s \\(simulated failure")
                .contains("decoding on the CPU");
        Defect black = failed.defects().get(0);
        assertThat(failed.defects()).hasSize(1);
        assertThat(black.type).isEqualTo("black");
        assertThat(black.start).isCloseTo(4.0, within(0.081));
        assertThat(black.end).isCloseTo(7.0, within(0.081));
        // the same as without the failure: no picture lost, none delivered twice
        assertThat(failed.pictures()).isEqualTo(clean.pictures()).isEqualTo(200);
        assertThat(black.start).isEqualTo(clean.defects().get(0).start);
        assertThat(black.end).isEqualTo(clean.defects().get(0).end);
    }
}
