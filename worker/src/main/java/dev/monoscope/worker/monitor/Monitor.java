package dev.monoscope.worker.monitor;

import com.sun.management.OperatingSystemMXBean;
import dev.monoscope.api.v1alpha1.DetectorsSpec;
import dev.monoscope.api.worker.DecoderInfo;
import dev.monoscope.worker.decode.AudioBlock;
import dev.monoscope.worker.decode.DecoderSelection;
import dev.monoscope.worker.decode.InputException;
import dev.monoscope.worker.decode.Picture;
import dev.monoscope.worker.decode.StreamDecoder;
import dev.monoscope.worker.decode.UnsupportedStreamException;
import dev.monoscope.worker.defect.DefectTracker;
import dev.monoscope.worker.detect.AudioDetector;
import dev.monoscope.worker.detect.VideoDetector;
import dev.monoscope.worker.report.DefectListener;
import dev.monoscope.worker.report.ReportState;
import dev.monoscope.worker.source.HlsPlaylist;
import dev.monoscope.worker.source.SourceFetchException;
import dev.monoscope.worker.source.SourceUrl;
import dev.monoscope.worker.transport.PidSeries;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One stream's monitor: opens the source, decodes it once, runs every enabled detector on the same decoded frames,
 * tracks defects and keeps the report current. Reconnects with exponential backoff (1 s to 30 s) in the same
 * process. {@link #run()} blocks on the calling thread; {@link #stop()} may be called from any thread.
 */
public final class Monitor {

    private static final long COUNTER_INTERVAL_NANOS = 500_000_000L;
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final MonitorSettings settings;
    private final ReportState state;
    private final DefectTracker tracker;
    private final DetectorSet detectors;
    private final boolean pixelAnalysis;
    private final List<VideoDetector> videoDetectors;
    private final List<AudioDetector> audioDetectors;
    private final List<String> detectorKeys;
    private final MediaClock clock = new MediaClock();
    private final EvidenceWriter evidence;
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private volatile boolean stopped;
    /** When the pipeline loop last moved: a frame, an open or reconnect attempt, a backoff wait (liveness). */
    private volatile long progressNanos = System.nanoTime();

    private volatile StreamDecoder current;
    private final Object sleepLock = new Object();

    private boolean everOpened;
    private String error;
    private long videoFrames;
    private long audioFrames;
    private long reconnects;
    private long decodeErrorsBefore;
    private long lastCounterNanos;
    private long firstFrameCpuNanos = -1;
    private long lastFrameCpuNanos = -1;
    private long firstFrameWallNanos = -1;
    private long lastFrameWallNanos = -1;
    private double firstFrameMedia = Double.NaN;
    private String decoderType;
    private DecoderInfo reportedDecoder;
    /** The last segment of a live HLS playlist when its signal was lost. */
    private String staleHlsSegment;
    /** The target duration of the live HLS playlist being opened, or NaN. */
    private double hlsTargetSeconds = Double.NaN;
    /** Where the last decoded frame ends on the media clock. */
    private double mediaEnd;

    public Monitor(MonitorSettings settings, ReportState state, List<DefectListener> listeners) {
        this.settings = settings;
        this.state = state;
        DetectorsSpec d = settings.detectors == null ? new DetectorsSpec() : settings.detectors;
        detectors = new DetectorSet(d);
        pixelAnalysis = d.corruption != null && d.corruption.pixelAnalysisOrDefault();
        videoDetectors = detectors.video;
        audioDetectors = detectors.audio;
        detectorKeys = d.enabledKeys();
        tracker = new DefectTracker(state, listeners, detectors.minDuration, detectors.mergeWindow);
        evidence = settings.evidenceDir == null ? null : new EvidenceWriter(settings.evidenceDir);
        if (evidence != null) {
            tracker.setObserver(evidence);
        }
    }

    /** Monitors until a file input ends or {@link #stop()} is called. */
    public void run() {
        state.change(r -> {
            r.detectors = new ArrayList<>(detectorKeys);
            r.shardIndex = settings.shardIndex;
            r.shardCount = settings.shardCount;
            r.connected = false;
        });
        SourceUrl source;
        try {
            source = SourceUrl.parse(
                    settings.url, settings.allowLocalFiles, settings.username, settings.password, settings.tls);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        long backoff = 1000;
        boolean signalLossEnabled = settings.detectors == null
                || settings.detectors.signalLoss == null
                || settings.detectors.signalLoss.isEnabled();
        while (!stopped) {
            progressNanos = System.nanoTime();
            StreamDecoder decoder;
            try {
                double timeout = timeoutSeconds(source);
                decoder = StreamDecoder.open(
                        source,
                        timeout,
                        settings.program,
                        settings.audioTracks,
                        settings.decoder,
                        settings.decoderThreads,
                        hlsTargetSeconds,
                        detectors.transport);
            } catch (InputException e) {
                if (stopped) {
                    break;
                }
                if (e instanceof UnsupportedStreamException) {
                    fail(e.reported());
                } else {
                    System.err.println("monoscope: " + SourceUrl.redact(e.getMessage()));
                }
                if (!everOpened && settings.giveUpIfNeverOpened) {
                    error = e.reported();
                    break;
                }
                if (signalLossEnabled) {
                    tracker.signalLost(clock.now(), e.reported());
                }
                pause(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                reconnects++;
                continue;
            }
            current = decoder;
            if (settings.failDecoderAfterPictures > 0) {
                decoder.failVideoDecoderAfter(settings.failDecoderAfterPictures);
            }
            if (stopped) {
                decoder.interrupt();
            }
            Outcome outcome;
            long framesBefore = videoFrames + audioFrames;
            try {
                everOpened = true;
                onConnected(decoder);
                outcome = decode(decoder, signalLossEnabled);
            } finally {
                current = null;
                decodeErrorsBefore += decoder.decodeErrors();
                decoder.close();
            }
            if (outcome == Outcome.ENDED || stopped) {
                break;
            }
            reconnects++;
            rememberHlsPosition(source);
            boolean hadData = videoFrames + audioFrames > framesBefore;
            if (hadData) {
                backoff = 1000;
            }
            if (outcome == Outcome.LIVE_EOF) {
                if (hadData
                        && Double.isNaN(hlsTargetSeconds)
                        && System.nanoTime() - lastFrameWallNanos < settings.signalTimeoutSeconds() * 1e9) {
                    // a live source closed while data still flowed (a server restarting the connection): reopen at
                    // once; the signal is lost only if that fails. Live HLS ends only after the timeout without growth.
                    continue;
                }
                lost(signalLossEnabled, "the input ended");
            }
            pause(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
        tracker.finish(Math.max(mediaEnd, clock.latest()));
        if (evidence != null) {
            evidence.close();
        }
        state.change(r -> r.connected = false);
        publishCounters();
    }

    /**
     * Seconds without data before the signal is lost: for live HLS at least 1.5 × the target duration. A live HLS
     * playlist that has not grown since the signal was lost is not opened (FFmpeg would replay its old segments).
     */
    private double timeoutSeconds(SourceUrl source) throws InputException {
        double timeout = settings.signalTimeoutSeconds();
        Optional<HlsPlaylist> playlist = hlsPlaylist(source);
        hlsTargetSeconds = Double.NaN;
        if (playlist.isPresent() && playlist.get().live()) {
            hlsTargetSeconds = playlist.get().targetDuration();
            timeout = Math.max(timeout, 1.5 * playlist.get().targetDuration());
            if (staleHlsSegment != null && staleHlsSegment.equals(playlist.get().lastSegment())) {
                throw new InputException(
                        "cannot open " + source + ": the live playlist has not changed since the " + "signal was lost");
            }
        }
        staleHlsSegment = null;
        return timeout;
    }

    private Optional<HlsPlaylist> hlsPlaylist(SourceUrl source) throws InputException {
        try {
            return source.looksLikeHls() && source.scheme().startsWith("http")
                    ? HlsPlaylist.read(source.ffmpegUrl(), settings.tls, settings.signalTimeout(), () -> stopped)
                    : Optional.empty();
        } catch (SourceFetchException e) {
            throw InputException.of(e, "cannot open " + source);
        }
    }

    /** The input was lost: remember where a live HLS playlist stood, so that it is reopened only once it grows. */
    private void rememberHlsPosition(SourceUrl source) {
        try {
            hlsPlaylist(source).filter(HlsPlaylist::live).ifPresent(p -> staleHlsSegment = p.lastSegment());
        } catch (InputException e) {
            staleHlsSegment = null; // reopening reads it again
        }
    }

    /** Makes {@link #run()} return soon, from any thread. */
    public void stop() {
        stopped = true;
        StreamDecoder d = current;
        if (d != null) {
            d.interrupt();
        }
        synchronized (sleepLock) {
            sleepLock.notifyAll();
        }
    }

    /** The decoder failed over to the CPU mid-stream: the report says so, the monitor goes on. */
    private void decoderChanged(DecoderInfo dec) {
        reportedDecoder = dec;
        decoderType = dec.type;
        System.err.println("monoscope: " + dec.reason);
        state.change(r -> {
            r.decoder = dec;
            r.reducedCoverage = DecoderSelection.reducedCoverage(dec, r.detectors, pixelAnalysis);
        });
    }

    private void onConnected(StreamDecoder decoder) {
        var info = decoder.streamInfo();
        var dec = decoder.decoderInfo();
        reportedDecoder = dec;
        decoderType = dec.type;
        if (dec.reason != null && "gpu".equals(settings.decoder)) {
            System.err.println("monoscope: decoding on the CPU: " + dec.reason);
        }
        state.change(r -> {
            r.connected = true;
            r.stream = info;
            r.decoder = dec;
            r.reducedCoverage = DecoderSelection.reducedCoverage(dec, r.detectors, pixelAnalysis);
            r.error = null;
        });
        double start = decoder.startTime();
        if (!Double.isNaN(start)) {
            clock.startAt(start);
        }
        clock.reconnected();
        videoDetectors.forEach(VideoDetector::reset);
        audioDetectors.forEach(AudioDetector::reset);
        double now = clock.now();
        for (Object d : detectors.all()) {
            if (d instanceof VideoDetector v) {
                v.opened(info, now, tracker);
            } else if (d instanceof AudioDetector a) {
                a.opened(info, now, tracker);
            }
        }
    }

    /** How one connection ended. */
    private enum Outcome {
        /** The end of a file (or stop()): monitoring is over. */
        ENDED,
        /** A live input ended (the server closed it). */
        LIVE_EOF,
        /** Reading failed or stalled for the timeout: signal loss is raised. */
        LOST_AFTER_DATA
    }

    /** Decodes one connection until it ends or is lost. */
    private Outcome decode(StreamDecoder decoder, boolean signalLossEnabled) {
        boolean first = true;
        while (!stopped) {
            progressNanos = System.nanoTime();
            StreamDecoder.Kind kind;
            try {
                kind = decoder.next();
            } catch (InputException e) {
                inputEnded();
                if (stopped) {
                    return Outcome.ENDED;
                }
                System.err.println("monoscope: " + SourceUrl.redact(e.getMessage()));
                lost(signalLossEnabled, e.reported());
                return Outcome.LOST_AFTER_DATA;
            }
            if (kind == null) {
                inputEnded();
                if (settings.endOfInput == MonitorSettings.EndOfInput.AUTO && decoder.finite()) {
                    return Outcome.ENDED;
                }
                return Outcome.LIVE_EOF;
            }
            if (decoder.decoderInfo() != reportedDecoder) {
                decoderChanged(decoder.decoderInfo());
            }
            double t;
            if (kind == StreamDecoder.Kind.UNDECODABLE) {
                t = clock.map(decoder.undecodableTime());
                for (VideoDetector d : videoDetectors) {
                    d.undecodable(t, tracker);
                }
            } else if (kind == StreamDecoder.Kind.VIDEO) {
                Picture p = decoder.picture();
                t = clock.map(p.pts());
                frameDecoded(t, p.duration(), first);
                first = false;
                videoFrames++;
                if (p.joined()) {
                    if (evidence != null) {
                        evidence.picture(p, t);
                    }
                    for (VideoDetector d : videoDetectors) {
                        d.picture(p, t, tracker);
                    }
                }
            } else {
                AudioBlock b = decoder.audioBlock();
                t = clock.map(b.pts());
                frameDecoded(t, (double) b.samples() / Math.max(1, b.sampleRate()), first);
                first = false;
                audioFrames++;
                for (AudioDetector d : audioDetectors) {
                    d.audio(b, t, tracker);
                }
            }
            long now = System.nanoTime();
            if (now - lastCounterNanos >= COUNTER_INTERVAL_NANOS) {
                lastCounterNanos = now;
                publishCounters(decoder.decodeErrors());
            }
            if (settings.realtime) {
                pace(t);
            }
        }
        inputEnded();
        return Outcome.ENDED;
    }

    private void inputEnded() {
        for (VideoDetector d : videoDetectors) {
            d.inputEnded(tracker);
        }
    }

    private void frameDecoded(double t, double duration, boolean firstSinceConnect) {
        mediaEnd = Math.max(mediaEnd, t + duration);
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        if (firstFrameCpuNanos < 0) {
            firstFrameCpuNanos = cpu;
            firstFrameWallNanos = wall;
            firstFrameMedia = t;
        }
        lastFrameCpuNanos = cpu;
        lastFrameWallNanos = wall;
        if (firstSinceConnect && tracker.signalIsLost()) {
            tracker.signalRestored(t);
        }
    }

    private void lost(boolean signalLossEnabled, String reason) {
        state.change(r -> r.connected = false);
        if (signalLossEnabled) {
            tracker.signalLost(Math.max(mediaEnd, clock.latest()), reason);
        }
    }

    private void fail(String message) {
        error = message;
        System.err.println("monoscope: " + message);
        state.change(r -> {
            r.error = message;
            r.connected = false;
        });
    }

    private void pace(double t) {
        double ahead = (t - firstFrameMedia) - (System.nanoTime() - firstFrameWallNanos) / 1e9;
        if (ahead > 0.005) {
            pause((long) (ahead * 1000));
        }
    }

    private void pause(long millis) {
        long until = System.currentTimeMillis() + millis;
        synchronized (sleepLock) {
            while (!stopped) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                progressNanos = System.nanoTime() + left * 1_000_000; // a wait is progress until it ends
                try {
                    sleepLock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopped = true;
                }
            }
        }
    }

    private void publishCounters() {
        publishCounters(0);
    }

    private void publishCounters(long currentDecoderErrors) {
        long frames = videoFrames + audioFrames;
        long errors = decodeErrorsBefore + currentDecoderErrors;
        double media = clock.latest();
        long v = videoFrames;
        long a = audioFrames;
        long rc = reconnects;
        state.counters(r -> {
            r.counters.put("framesDecoded", frames);
            r.counters.put("videoFrames", v);
            r.counters.put("audioFrames", a);
            r.counters.put("decodeErrors", errors);
            r.counters.put("reconnects", rc);
            r.mediaTime = Math.round(media * 1000) / 1000.0;
        });
    }

    // ---- what the command line's summary needs ----

    /** When the pipeline loop last made progress ({@link System#nanoTime()}). */
    public long progressNanos() {
        return progressNanos;
    }

    /** Whether the input was opened at least once. */
    public boolean everOpened() {
        return everOpened;
    }

    /** The last fatal error (bad URL, unsupported codec, input never opened), or null. */
    public String error() {
        return error;
    }

    /** The transport analyser's figures for the last connection, or null when it saw no MPEG-TS packets. */
    public Map<String, Object> transportSummary() {
        return detectors.transport == null || detectors.transport.totalPackets() == 0
                ? null
                : PidSeries.foldSummary(detectors.transport.summary());
    }

    public long videoFrames() {
        return videoFrames;
    }

    public long audioFrames() {
        return audioFrames;
    }

    /** Media seconds monitored: the clock at the end of the last decoded frame. */
    public double mediaSeconds() {
        return Math.max(mediaEnd, clock.latest());
    }

    /** Process CPU seconds from the first decoded frame to the last. */
    public double cpuSeconds() {
        return firstFrameCpuNanos < 0 ? 0 : (lastFrameCpuNanos - firstFrameCpuNanos) / 1e9;
    }

    /** Wall-clock seconds from the first decoded frame to the last. */
    public double wallSeconds() {
        return firstFrameWallNanos < 0 ? 0 : (lastFrameWallNanos - firstFrameWallNanos) / 1e9;
    }

    /** cpu or cuda, once opened. */
    public String decoderType() {
        return decoderType;
    }

    /** Defects raised, by type id. */
    public Map<String, Integer> defectCounts() {
        return tracker.counts();
    }

    /** The detectors' own metrics (loudness, transport counters), to bind into the worker's registry. */
    public List<MeterBinder> meters() {
        return detectors.meters;
    }

    /** The detector keys that run. */
    public List<String> detectorKeys() {
        return detectorKeys;
    }
}
