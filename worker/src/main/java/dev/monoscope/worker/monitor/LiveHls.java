package dev.monoscope.worker.monitor;

import dev.monoscope.worker.decode.InputException;
import dev.monoscope.worker.source.HlsPlaylist;
import dev.monoscope.worker.source.SourceFetchException;
import dev.monoscope.worker.source.SourceUrl;
import dev.monoscope.worker.source.TlsSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A live HLS source's playlist between connections: its target duration sets the signal timeout, and a playlist that
 * has not grown since the signal was lost is not opened again (FFmpeg would replay its old segments).
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

    LiveHls(TlsSettings tls, Duration deadline, BooleanSupplier stopped) {
        this.tls = tls;
        this.deadline = deadline;
        this.stopped = stopped;
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
