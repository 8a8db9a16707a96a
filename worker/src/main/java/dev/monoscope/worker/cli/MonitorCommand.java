package dev.monoscope.worker.cli;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.v1alpha1.DetectorsSpec;
import dev.monoscope.api.worker.WorkerConfig;
import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.monitor.Monitor;
import dev.monoscope.worker.monitor.MonitorSettings;
import dev.monoscope.worker.monitor.MonitorSummary;
import dev.monoscope.worker.report.ReportState;
import dev.monoscope.worker.source.SourceUrl;
import dev.monoscope.worker.source.TlsSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code monoscope monitor [options] <url-or-file>}: checks one stream or file by hand, or in a QC pipeline. */
@Command(
        name = "monitor",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Decode a stream or file once, run every detector on the same frames, report defects.",
            "A file is processed as fast as possible; a live URL at its own pace (Ctrl-C ends it).",
            "Defect types: black, freeze, silence, corruption, signal_loss, av_sync, loudness, clipping, frame_drop,"
                    + " format_change, transport,"
                    + " delivery, scte35, captions."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:monitoring ran",
            "2:bad arguments",
            "3:the input could never be opened, or nothing in it could be decoded",
            "4:--fail-on was given and one of those defects was found"
        },
        footer = {
            "",
            "Credentials: MONOSCOPE_SOURCE_USERNAME and MONOSCOPE_SOURCE_PASSWORD are put into the URL;",
            "they are never printed."
        })
public final class MonitorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "<url-or-file>",
            description = "A file, or an http(s) (progressive TS/MP4, HLS), udp, rtp, srt, rtmp(s) or rtsp(s) URL.")
    String input;

    @Option(
            names = "--json",
            description = "Write JSON Lines on stdout (defect_started, defect_ended, cue, summary) and nothing else.")
    boolean json;

    @Option(
            names = "--ca-file",
            paramLabel = "FILE",
            description = "PEM bundle of the CAs trusted for an https source (default: the system's bundle).")
    Path caFile;

    @Option(
            names = "--insecure-skip-tls-verify",
            description =
                    "Do not verify an https source's certificate (a man in the middle then sees its credentials).")
    boolean insecureSkipTlsVerify;

    @Mixin
    EvidenceOptions evidence = new EvidenceOptions();

    @Option(
            names = "--program",
            paramLabel = "N",
            description =
                    "Programme of a multi-programme stream: its position from 1, or its programme number (default: "
                            + "the first).")
    Integer program;

    @Option(
            names = "--audio-track",
            paramLabel = "N",
            description = "Audio track of the programme, from 1; repeatable (default: every track).")
    List<Integer> audioTracks = new ArrayList<>();

    @Option(
            names = "--fail-on",
            paramLabel = "TYPES",
            split = ",",
            description = "Exit with 4 when any of these defect types (comma-separated) was found.")
    List<String> failOn = new ArrayList<>();

    @Option(
            names = "--disable",
            paramLabel = "TYPES",
            split = ",",
            description = "Detectors not to run (comma-separated defect types).")
    List<String> disable = new ArrayList<>();

    @Option(
            names = "--decoder",
            paramLabel = "MODE",
            defaultValue = "auto",
            description = "auto, cpu or gpu (CUDA when there is one; default ${DEFAULT-VALUE}).")
    String decoder;

    @Option(names = "--realtime", description = "Pace a file at its own speed, as if it were live.")
    boolean realtime;

    @Option(
            names = "--black-min-duration",
            paramLabel = "S",
            description = "Seconds of black before a defect (default 2).")
    Double blackMinDuration;

    @Option(
            names = "--black-ratio",
            paramLabel = "R",
            description = "Fraction of black samples for a black picture (default 0.98).")
    Double blackRatio;

    @Option(
            names = "--black-pixel-threshold",
            paramLabel = "F",
            description = "A sample is black at or under this fraction of the range (default 0.10).")
    Double blackPixelThreshold;

    @Option(
            names = "--freeze-min-duration",
            paramLabel = "S",
            description = "Seconds of frozen picture before a defect (default 2).")
    Double freezeMinDuration;

    @Option(
            names = "--freeze-noise",
            paramLabel = "F",
            description = "Mean difference, fraction of range, under which pictures are the same (default 0.001).")
    Double freezeNoise;

    @Option(
            names = "--silence-min-duration",
            paramLabel = "S",
            description = "Seconds of silence before a defect (default 2).")
    Double silenceMinDuration;

    @Option(
            names = "--silence-threshold",
            paramLabel = "DB",
            description = "A channel is silent under this level, dBFS (default -60).")
    Double silenceThreshold;

    @Option(
            names = "--corruption-merge-window",
            paramLabel = "S",
            description = "Damaged pictures closer than this are one defect (default 1).")
    Double corruptionMerge;

    @Option(names = "--timeout", paramLabel = "S", description = "Seconds without data before signal loss (default 3).")
    Double timeout;

    @Option(
            names = "--corruption-pixels",
            negatable = true,
            description =
                    "Look for damage the decoder does not flag in the pixels on the CPU decoder too (default: only "
                            + "on a GPU decoder, which flags nothing; --no-corruption-pixels: nowhere).")
    Boolean corruptionPixels;

    @Option(
            names = "--av-sync-max-early",
            paramLabel = "MS",
            description = "Audio may lead the picture by this much (default 40, EBU R37).")
    Double avSyncMaxEarly;

    @Option(
            names = "--av-sync-max-late",
            paramLabel = "MS",
            description = "Audio may lag the picture by this much (default 60, EBU R37).")
    Double avSyncMaxLate;

    @Option(names = "--loudness-target", paramLabel = "LUFS", description = "Target loudness (default -23, EBU R128).")
    Double loudnessTarget;

    @Option(
            names = "--loudness-below",
            paramLabel = "LU",
            description = "Short-term loudness may fall this far under the target (default 10).")
    Double loudnessBelow;

    @Option(
            names = "--loudness-above",
            paramLabel = "LU",
            description = "Short-term loudness may rise this far over the target (default 5).")
    Double loudnessAbove;

    @Option(
            names = "--loudness-min-duration",
            paramLabel = "S",
            description = "Seconds out of the window before a defect (default 5).")
    Double loudnessMinDuration;

    @Option(
            names = "--clipping-run",
            paramLabel = "N",
            description = "Consecutive full-scale samples that make a clipped place (default 3).")
    Integer clippingRun;

    @Option(
            names = "--clipping-places",
            paramLabel = "N",
            description = "Clipped places per second that make clipping (default 10).")
    Integer clippingPlaces;

    @Option(
            names = "--frame-drop-ratio",
            paramLabel = "R",
            description = "Raise frame_drop under this fraction of the nominal frame rate (default 0.9).")
    Double frameDropRatio;

    @Mixin
    CaptionOptions captionOptions = new CaptionOptions();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        MonitorSettings settings = settings();
        ReportState state = new ReportState();
        List<DefectListener> listeners = new ArrayList<>();
        JsonLinesOutput jsonOut = json ? new JsonLinesOutput(out) : null;
        ConsoleOutput console = json ? null : new ConsoleOutput(out, System.console() != null);
        listeners.add(json ? jsonOut : console);
        Monitor monitor = new Monitor(settings, state, listeners);
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> { // Ctrl-C: stop, and let the summary out before the JVM goes
                    monitor.stop();
                    try {
                        reported.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "monoscope-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        if (console != null) {
            console.startProgress(state);
        }
        try {
            monitor.run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (Ctrl-C): the summary is still printed below
            }
        }
        MonitorSummary summary = monitor.summary();
        printSummary(summary, jsonOut, console);
        out.flush();
        reported.countDown();
        return exitCode(summary);
    }

    /** The last line: JSON Lines' summary event, or the console's table. */
    private void printSummary(MonitorSummary m, JsonLinesOutput jsonOut, ConsoleOutput console) {
        long frames = m.videoFrames() > 0 ? m.videoFrames() : m.audioFrames();
        if (json) {
            jsonOut.summary(
                    m.mediaSeconds(),
                    frames,
                    m.decoderType(),
                    m.cpuSeconds(),
                    m.wallSeconds(),
                    m.defectCounts(),
                    m.error(),
                    m.captions(),
                    m.transport());
        } else {
            console.summary(m.mediaSeconds(), frames, m.decoderType(), m.cpuSeconds(), m.wallSeconds(), m.error());
            console.captions(m.captions());
        }
    }

    private int exitCode(MonitorSummary m) {
        if (!m.everOpened() || m.videoFrames() + m.audioFrames() == 0) {
            return ExitCode.INPUT_NEVER_OPENED; // nothing at all could be decoded
        }
        for (String type : failOn) {
            if (m.defectCounts().getOrDefault(type, 0) > 0) {
                return ExitCode.FAIL_ON_FOUND;
            }
        }
        return ExitCode.OK;
    }

    private MonitorSettings settings() {
        OptionChecks check = new OptionChecks(spec);
        for (String type : failOn) {
            check.defectType(type, "--fail-on");
        }
        for (String type : disable) {
            check.defectType(type, "--disable");
        }
        if (!List.of("auto", "cpu", "gpu").contains(decoder.toLowerCase(Locale.ROOT))) {
            throw new ParameterException(spec.commandLine(), "--decoder must be auto, cpu or gpu");
        }
        String username = System.getenv(WorkerConfig.ENV_SOURCE_USERNAME);
        String password = System.getenv(WorkerConfig.ENV_SOURCE_PASSWORD);
        TlsSettings tls;
        try {
            tls = TlsSettings.of(insecureSkipTlsVerify, caFile);
            SourceUrl.parse(input, true, username, password, tls);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        MonitorSettings s = new MonitorSettings();
        s.url = input;
        s.username = username;
        s.password = password;
        s.allowLocalFiles = true;
        s.tls = tls;
        s.program = program;
        s.audioTracks = audioTracks.isEmpty() ? null : audioTracks;
        s.decoder = decoder.toLowerCase(Locale.ROOT);
        evidence.applyTo(s, check);
        s.realtime = realtime;
        s.giveUpIfNeverOpened = true;
        s.detectors = detectors();
        return s;
    }

    private DetectorsSpec detectors() {
        OptionChecks check = new OptionChecks(spec);
        DetectorsSpec d = new DetectorsSpec();
        d.black.minDurationSeconds =
                check.positive(blackMinDuration, d.black.minDurationSeconds, "--black-min-duration");
        d.black.pictureBlackRatio = check.fraction(blackRatio, d.black.pictureBlackRatio, "--black-ratio");
        d.black.pixelBlackThreshold =
                check.fraction(blackPixelThreshold, d.black.pixelBlackThreshold, "--black-pixel-threshold");
        d.freeze.minDurationSeconds =
                check.positive(freezeMinDuration, d.freeze.minDurationSeconds, "--freeze-min-duration");
        d.freeze.noiseThreshold = check.fraction(freezeNoise, d.freeze.noiseThreshold, "--freeze-noise");
        d.silence.minDurationSeconds =
                check.positive(silenceMinDuration, d.silence.minDurationSeconds, "--silence-min-duration");
        if (silenceThreshold != null) {
            if (silenceThreshold > 0 || silenceThreshold < -140) {
                throw new ParameterException(spec.commandLine(), "--silence-threshold must be between -140 and 0 dBFS");
            }
            d.silence.thresholdDb = silenceThreshold;
        }
        d.corruption.mergeWindowSeconds =
                check.positive(corruptionMerge, d.corruption.mergeWindowSeconds, "--corruption-merge-window");
        if (timeout != null) {
            if (timeout < 0.1) {
                throw new ParameterException(spec.commandLine(), "--timeout must be at least 0.1 s");
            }
            d.signalLoss.timeoutSeconds = timeout;
        }
        d.corruption.pixelAnalysis = corruptionPixels;
        d.avSync.maxAudioEarlyMs = check.positive(avSyncMaxEarly, d.avSync.maxAudioEarlyMs, "--av-sync-max-early");
        d.avSync.maxAudioLateMs = check.positive(avSyncMaxLate, d.avSync.maxAudioLateMs, "--av-sync-max-late");
        if (loudnessTarget != null) {
            if (loudnessTarget > 0 || loudnessTarget < -70) {
                throw new ParameterException(spec.commandLine(), "--loudness-target must be between -70 and 0 LUFS");
            }
            d.loudness.targetLufs = loudnessTarget;
        }
        d.loudness.belowTargetLu = check.positive(loudnessBelow, d.loudness.belowTargetLu, "--loudness-below");
        d.loudness.aboveTargetLu = check.positive(loudnessAbove, d.loudness.aboveTargetLu, "--loudness-above");
        d.loudness.minDurationSeconds =
                check.positive(loudnessMinDuration, d.loudness.minDurationSeconds, "--loudness-min-duration");
        d.clipping.minConsecutiveSamples =
                check.atLeastOne(clippingRun, d.clipping.minConsecutiveSamples, "--clipping-run");
        d.clipping.minPlacesPerSecond =
                check.atLeastOne(clippingPlaces, d.clipping.minPlacesPerSecond, "--clipping-places");
        d.frameDrop.minRateRatio = check.fraction(frameDropRatio, d.frameDrop.minRateRatio, "--frame-drop-ratio");
        captionOptions.applyTo(d.captions, check);
        for (String type : disable) {
            String key = DefectType.fromId(type).orElseThrow().detectorKey();
            d.byKey().get(key).enabled = false;
        }
        return d;
    }
}
