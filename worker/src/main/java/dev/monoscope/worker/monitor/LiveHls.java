package dev.monoscope.worker.monitor;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.v1alpha1.DetectorsSpec;
import dev.monoscope.worker.decode.InputException;
import dev.monoscope.worker.defect.DefectTracker;
import dev.monoscope.worker.detect.DetectorSet;
import dev.monoscope.worker.detect.Scte35Detector;
import dev.monoscope.worker.report.ReportState;
import dev.monoscope.worker.source.HlsPlaylist;
import dev.monoscope.worker.source.SourceFetchException;
import dev.monoscope.worker.source.SourceUrl;
import dev.monoscope.worker.source.TlsSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A live HLS source's playlist between connections: its target duration sets the signal timeout, and a playlist that
 * has not grown since the signal was lost is not opened again (FFmpeg would replay its old segments). Once a live
 * playlist is seen, its {@link DeliveryWatch} runs (delivery checks, SCTE-35 tags) until the monitor ends; the pipeline
 * thread drains its verdicts into the tracker as {@code delivery} defects.
 */
final class LiveHls {

    /** The last segment of a live HLS playlist when its signal was lost. */
    private String staleHlsSegment;
    /** The target duration of the live HLS playlist being opened, or NaN. */
    private double hlsTargetSeconds = Double.NaN;

    private final TlsSettings tls;
    /** How long one playlist read may take, all told (the signal-loss timeout). */
    private final Duration deadline;

    private final BooleanSupplier stopped;
    private final ReportState state;
    private final boolean deliveryChecks;
    /** Where the playlist's SCTE-35 tags go; null with the scte35 detector off. */
    private final Scte35Detector cues;

    private DeliveryWatch watch;
    /** Where the last verdict was placed on the media clock: verdicts never go back in time. */
    private double lastVerdict = Double.NEGATIVE_INFINITY;

    LiveHls(MonitorSettings settings, BooleanSupplier stopped, ReportState state, DetectorSet detectors) {
        this.tls = settings.tls;
        this.deadline = settings.signalTimeout();
        this.stopped = stopped;
        this.state = state;
        DetectorsSpec d = settings.detectors == null ? new DetectorsSpec() : settings.detectors;
        this.deliveryChecks = d.delivery != null && d.delivery.isEnabled();
        this.cues = detectors.scte35();
    }

    /**
     * Seconds without data before the signal is lost: for live HLS at least 1.5 × the target duration. A live HLS
     * playlist that has not grown since the signal was lost is not opened (FFmpeg would replay its old segments).
     */
    double timeoutSeconds(SourceUrl source, double signalTimeoutSeconds) throws InputException {
        double timeout = signalTimeoutSeconds;
        Optional<HlsPlaylist> playlist = hlsPlaylist(source);
        hlsTargetSeconds = Double.NaN;
        if (playlist.isPresent() && playlist.get().live()) {
            hlsTargetSeconds = playlist.get().targetDuration();
            timeout = Math.max(timeout, 1.5 * playlist.get().targetDuration());
            watch(source);
            if (staleHlsSegment != null && staleHlsSegment.equals(playlist.get().lastSegment())) {
                throw new InputException(
                        "cannot open " + source + ": the live playlist has not changed since the " + "signal was lost");
            }
        }
        staleHlsSegment = null;
        return timeout;
    }

    /** The target duration of the live HLS playlist last opened, or NaN when the source is not one. */
    double targetSeconds() {
        return hlsTargetSeconds;
    }

    /** The input was lost: remember where a live HLS playlist stood, so that it is reopened only once it grows. */
    void rememberPosition(SourceUrl source) {
        try {
            hlsPlaylist(source).filter(HlsPlaylist::live).ifPresent(p -> staleHlsSegment = p.lastSegment());
        } catch (InputException e) {
            staleHlsSegment = null; // reopening reads it again
        }
    }

    private void watch(SourceUrl source) {
        if (watch == null && (deliveryChecks || cues != null)) {
            watch = new DeliveryWatch(
                    source.ffmpegUrl(), tls, deliveryChecks, cues == null ? null : cues::hlsTag, state);
            watch.start();
        }
    }

    /**
     * Whether the live playlist is reachable but stale (the one defect for it, no signal loss), once the verdicts found
     * so far are with the tracker (before signal loss holds them off).
     */
    boolean staleAfterDrain(DefectTracker tracker, double mediaNow) {
        drain(tracker, mediaNow);
        return watch != null && watch.stale();
    }

    /** The delivery verdicts found since the last call, to the tracker at their places on the media clock. */
    void drain(DefectTracker tracker, double mediaNow) {
        if (watch == null) {
            return;
        }
        for (DeliveryChecks.Verdict v : watch.verdicts()) {
            double t = Math.max(lastVerdict, mediaNow - (System.nanoTime() - v.nanos()) / 1e9);
            lastVerdict = t;
            String key = DefectType.DELIVERY.id() + "/" + v.subtype();
            tracker.observe(
                    key, DefectType.DELIVERY, v.subtype(), v.defective(), t, Math.max(t, mediaNow), v.details());
        }
    }

    /**
     * Waits {@code millis} between connection attempts, draining the delivery verdicts; ends early when a stale
     * playlist advances again (its stream is back: reopen now, not after the backoff).
     */
    void pause(StopSignal stop, long millis, DefectTracker tracker, MediaClock clock) {
        long end = System.nanoTime() + millis * 1_000_000;
        for (long left = millis; left > 0 && !stop.requested(); left = (end - System.nanoTime()) / 1_000_000) {
            stop.pause(Math.min(left, 100));
            drain(tracker, clock.now());
            if (watch != null && watch.resumed()) {
                return;
            }
        }
    }

    /** The monitor ends: the watch stops. */
    void close() {
        if (watch != null) {
            watch.close();
        }
    }

    private Optional<HlsPlaylist> hlsPlaylist(SourceUrl source) throws InputException {
        try {
            return source.looksLikeHls() && source.scheme().startsWith("http")
                    ? HlsPlaylist.read(source.ffmpegUrl(), tls, deadline, stopped)
                    : Optional.empty();
        } catch (SourceFetchException e) {
            throw InputException.of(e, "cannot open " + source);
        }
    }
}
