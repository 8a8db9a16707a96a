package dev.monoscope.worker.monitor;

import dev.monoscope.api.v1alpha1.DetectorsSpec;
import dev.monoscope.worker.decode.AudioBlock;
import dev.monoscope.worker.decode.DecoderOptions;
import dev.monoscope.worker.decode.InputException;
import dev.monoscope.worker.decode.Picture;
import dev.monoscope.worker.decode.StreamDecoder;
import dev.monoscope.worker.decode.UnsupportedStreamException;
import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.defect.DefectTracker;
import dev.monoscope.worker.detect.AudioDetector;
import dev.monoscope.worker.detect.DetectorReadings;
import dev.monoscope.worker.detect.DetectorSet;
import dev.monoscope.worker.detect.VideoDetector;
import dev.monoscope.worker.report.ReportDefects;
import dev.monoscope.worker.report.ReportState;
import dev.monoscope.worker.report.Thumbnails;
import dev.monoscope.worker.source.SourceUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    private final List<VideoDetector> videoDetectors;
    private final List<AudioDetector> audioDetectors;
    private final List<String> detectorKeys;
    private final MediaClock clock = new MediaClock();
    private final EvidenceWriter evidence;
    private final InputHealth health;
    private final Thumbnails thumbnails = new Thumbnails();
    private final StopSignal stop = new StopSignal();
    private volatile StreamDecoder current;
    private boolean everOpened;
    private String error;
    private final FrameCounters counters;
    private long lastCounterNanos;
    private final FrameTiming timing = new FrameTiming();
    private final LiveHls liveHls;
    /** When the pipeline loop last moved: a frame, an open or reconnect attempt, a backoff wait (liveness). */
    private volatile long progressNanos = System.nanoTime();

    private final DecoderReport decoderReport;
    /** Where the last decoded frame ends on the media clock. */
    private double mediaEnd;

    public Monitor(MonitorSettings settings, ReportState state, List<DefectListener> listeners) {
        this.settings = settings;
        this.state = state;
        DetectorsSpec d = settings.detectors == null ? new DetectorsSpec() : settings.detectors;
        detectors = new DetectorSet(d);
        counters = new FrameCounters(detectors.readings().loudness());
        decoderReport = new DecoderReport(
                state, settings.decoder, d.corruption != null && d.corruption.pixelAnalysisOrDefault());
        videoDetectors = detectors.video();
        audioDetectors = detectors.audio();
        detectorKeys = d.enabledKeys();
        liveHls = new LiveHls(settings, stop::requested, state, detectors);
        List<DefectListener> outputs = new ArrayList<>();
        evidence =
                new EvidenceWriter(settings.evidenceDir, settings.evidenceMaxBytes, outputs, detectors::damageWaiting);
        outputs.add(evidence); // first: it names its files on the defect every output is handed
        // then the report: every other output is told after the report shows the change
        outputs.add(new ReportDefects(state));
        outputs.addAll(listeners);
        tracker = new DefectTracker(state.instanceId(), outputs, detectors.minDuration(), detectors.mergeWindow());
        detectors.onCaptionsChanged(services -> state.change(r -> r.captions = services));
        health = new InputHealth(tracker, clock, d.signalLoss == null || d.signalLoss.isEnabled());
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
        while (!stop.requested()) {
            progressNanos = System.nanoTime();
            StreamDecoder decoder;
            try {
                decoder = open(source);
            } catch (InputException e) {
                if (stop.requested() || givesUp(e, signalLossEnabled)) {
                    break;
                }
                pause(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                counters.reconnects++;
                continue;
            }
            long framesBefore = counters.frames();
            ConnectionOutcome outcome = monitorConnection(decoder, signalLossEnabled);
            if (outcome == ConnectionOutcome.ENDED || stop.requested()) {
                break;
            }
            counters.reconnects++;
            liveHls.rememberPosition(source);
            boolean hadData = counters.frames() > framesBefore;
            if (hadData) {
                backoff = 1000;
            }
            if (outcome == ConnectionOutcome.LIVE_EOF) {
                if (hadData
                        && Double.isNaN(liveHls.targetSeconds())
                        && System.nanoTime() - timing.lastFrameWallNanos() < settings.signalTimeoutSeconds() * 1e9) {
                    // a live source closed while data still flowed (a server restarting the connection): reopen at
                    // once; the signal is lost only if that fails. Live HLS ends only after the timeout without growth.
                    continue;
                }
                lost(signalLossEnabled, "the input ended");
            }
            pause(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
        finish();
    }

    private StreamDecoder open(SourceUrl source) throws InputException {
        double timeout = liveHls.timeoutSeconds(source, settings.signalTimeoutSeconds());
        return StreamDecoder.open(
                source,
                new DecoderOptions(
                        timeout,
                        settings.program,
                        settings.audioTracks,
                        settings.decoder,
                        settings.decoderThreads,
                        liveHls.targetSeconds(),
                        detectors.transport()));
    }

    /** The input would not open: says why; true when monitoring gives up, else the signal is lost until it opens. */
    private boolean givesUp(InputException e, boolean signalLossEnabled) {
        if (e instanceof UnsupportedStreamException) {
            fail(e.reported());
        } else {
            System.err.println("monoscope: " + SourceUrl.redact(e.getMessage()));
        }
        if (!everOpened && settings.giveUpIfNeverOpened) {
            error = e.reported();
            return true;
        }
        if (signalLossEnabled && !liveHls.staleAfterDrain(tracker, clock.now())) {
            tracker.signalLost(clock.now(), e.reported());
        }
        return false;
    }

    /** Monitors one opened connection until it ends or is lost, then closes it. */
    private ConnectionOutcome monitorConnection(StreamDecoder decoder, boolean signalLossEnabled) {
        current = decoder;
        if (settings.failDecoderAfterPictures > 0) {
            decoder.failVideoDecoderAfter(settings.failDecoderAfterPictures);
        }
        if (stop.requested()) {
            decoder.interrupt();
        }
        try {
            everOpened = true;
            onConnected(decoder);
            return decode(decoder, signalLossEnabled);
        } finally {
            current = null;
            counters.decodeErrorsBefore += decoder.decodeErrors();
            decoder.close();
        }
    }

    /** Monitoring is over: defects still active end, the report says disconnected. */
    private void finish() {
        liveHls.close();
        tracker.finish(Math.max(mediaEnd, clock.latest()));
        evidence.close();
        state.change(r -> r.connected = false);
        counters.publish(state, clock.latest(), 0);
    }

    /** Makes {@link #run()} return soon, from any thread. */
    public void stop() {
        stop.request();
        StreamDecoder d = current;
        if (d != null) {
            d.interrupt();
        }
        stop.wake();
    }

    private void onConnected(StreamDecoder decoder) {
        var info = decoder.streamInfo();
        decoderReport.connected(info, decoder.decoderInfo());
        double start = decoder.startTime();
        if (!Double.isNaN(start)) {
            clock.startAt(start);
        }
        clock.reconnected();
        health.opened(decoder, detectors.transport());
        detectors.connected(decoder);
        evidence.connected(decoder);
        detectors.opened(decoder, clock.now(), tracker);
    }

    /** Decodes one connection until it ends or is lost. */
    private ConnectionOutcome decode(StreamDecoder decoder, boolean signalLossEnabled) {
        boolean first = true;
        while (!stop.requested()) {
            progressNanos = System.nanoTime();
            StreamDecoder.Kind kind;
            try {
                kind = decoder.next();
            } catch (InputException e) {
                inputEnded();
                if (stop.requested()) {
                    return ConnectionOutcome.ENDED;
                }
                System.err.println("monoscope: " + SourceUrl.redact(e.getMessage()));
                lost(signalLossEnabled, e.reported());
                return ConnectionOutcome.LOST_AFTER_DATA;
            }
            if (kind == null) {
                inputEnded();
                if (settings.endOfInput == MonitorSettings.EndOfInput.AUTO && decoder.finite()) {
                    return ConnectionOutcome.ENDED;
                }
                return ConnectionOutcome.LIVE_EOF;
            }
            decoderReport.follow(decoder.decoderInfo());
            double t;
            if (kind == StreamDecoder.Kind.UNDECODABLE) {
                double pts = decoder.undecodableTime();
                t = decoder.undecodableLost() ? clock.mapPast(pts) : clock.map(pts);
                for (VideoDetector d : videoDetectors) {
                    d.undecodable(t, tracker);
                }
            } else if (kind == StreamDecoder.Kind.VIDEO) {
                t = picture(decoder.picture(), first);
                first = false;
            } else {
                t = audio(decoder.audioBlock(), first);
                first = false;
            }
            long now = System.nanoTime();
            if (now - lastCounterNanos >= COUNTER_INTERVAL_NANOS) {
                lastCounterNanos = now;
                counters.publish(state, clock.latest(), decoder.decodeErrors());
                liveHls.drain(tracker, clock.now());
            }
            if (settings.realtime) {
                pace(t);
            }
        }
        inputEnded();
        return ConnectionOutcome.ENDED;
    }

    /** A decoded picture to the detectors; its time on the media clock. */
    private double picture(Picture p, boolean firstSinceConnect) {
        double t = p.heldBack() ? clock.mapPast(p.pts()) : clock.map(p.pts());
        frameDecoded(t, p.duration(), firstSinceConnect);
        counters.videoFrames++;
        health.picture();
        if (p.joined() && !health.videoQuiet()) {
            evidence.picture(p, t);
            thumbnails.offer(p);
            for (VideoDetector d : videoDetectors) {
                d.picture(p, t, tracker);
            }
        }
        return t;
    }

    /** A decoded audio block to the detectors; its time on the media clock. */
    private double audio(AudioBlock b, boolean firstSinceConnect) {
        double t = clock.map(b.pts());
        frameDecoded(t, (double) b.samples() / Math.max(1, b.sampleRate()), firstSinceConnect);
        counters.audioFrames++;
        evidence.audio(t, b.pts());
        if (!health.audioQuiet()) {
            for (AudioDetector d : audioDetectors) {
                d.audio(b, t, tracker);
            }
        }
        return t;
    }

    private void inputEnded() {
        health.inputEnded();
        for (VideoDetector d : videoDetectors) {
            d.inputEnded(tracker);
        }
    }

    private void frameDecoded(double t, double duration, boolean firstSinceConnect) {
        mediaEnd = Math.max(mediaEnd, t + duration);
        timing.frame(t);
        if (firstSinceConnect && tracker.signalIsLost()) {
            tracker.signalRestored(t);
        }
    }

    private void lost(boolean signalLossEnabled, String reason) {
        state.change(r -> r.connected = false);
        if (signalLossEnabled && !liveHls.staleAfterDrain(tracker, clock.now())) { // stale: a delivery defect
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
        double ahead = timing.ahead(t);
        if (ahead > 0.005) {
            pause((long) (ahead * 1000));
        }
    }

    private void pause(long millis) {
        progressNanos = System.nanoTime() + millis * 1_000_000; // a wait is progress until it ends
        liveHls.pause(stop, millis, tracker, clock);
    }

    /** What this run saw so far; the command line prints it at the end. */
    public MonitorSummary summary() {
        return new MonitorSummary(
                everOpened,
                error,
                counters.videoFrames,
                counters.audioFrames,
                Math.max(mediaEnd, clock.latest()),
                timing.cpuSeconds(),
                timing.wallSeconds(),
                decoderReport.decoderType(),
                tracker.counts(),
                detectors.captions(),
                detectors.transportSummary());
    }

    /** When the pipeline loop last made progress ({@link System#nanoTime()}). */
    public long progressNanos() {
        return progressNanos;
    }

    /** The last fatal error (bad URL, unsupported codec, input never opened), or null. */
    public String error() {
        return error;
    }

    /** Defects raised, by type id. */
    public Map<String, Integer> defectCounts() {
        return tracker.counts();
    }

    public Thumbnails thumbnails() { // the worker's thumbnail endpoint serves them
        return thumbnails;
    }

    /** What the detectors measure besides defects (loudness, transport counts), for the worker's metrics. */
    public DetectorReadings readings() {
        return detectors.readings();
    }
}
