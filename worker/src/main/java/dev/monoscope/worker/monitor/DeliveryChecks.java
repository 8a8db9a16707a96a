package dev.monoscope.worker.monitor;

import dev.monoscope.api.worker.DefectReason;
import dev.monoscope.worker.source.MediaPlaylist;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HLS delivery checks, on wall-clock time (nanoTime), from what the delivery watch fetched: {@code stale_playlist}
 * when a live playlist's media sequence (or its last segment) has not advanced for more than 1.5 × its target
 * duration (RFC 8216 §6.2.1), until it does; {@code media_sequence_regression} when the media sequence (or the last
 * segment's number) goes backwards or skips segments without an EXT-X-DISCONTINUITY, until the next reload is in
 * order; {@code segment_unavailable} when a listed segment cannot be fetched, until one can; {@code slow_delivery}
 * when three segments in a row take longer to fetch than they last, until one does not. Runs on the watch's thread;
 * its verdicts go to the tracker on the pipeline thread.
 */
final class DeliveryChecks {

    static final double STALE_TARGET_DURATIONS = 1.5;
    static final int SLOW_IN_A_ROW = 3;

    /** A condition turned defective or good at wall-clock time {@code nanos}. */
    record Verdict(String subtype, boolean defective, long nanos, Map<String, Object> details) {}

    private long mediaSequence = -1;
    private long lastSequence = -1;
    private long advancedNanos;
    private double target = 1;
    private boolean ended;

    private boolean stale;
    private boolean regression;
    private boolean unavailable;
    private boolean slow;
    private int slowRun;
    private long slowSince;

    /** A playlist read at {@code now}. */
    List<Verdict> playlist(MediaPlaylist p, long now) {
        List<Verdict> out = new ArrayList<>();
        target = p.targetDuration();
        ended = p.ended();
        if (mediaSequence < 0) {
            advancedNanos = now;
        } else {
            Map<String, Object> regressed = regression(p);
            if (regressed != null) {
                regression = true;
                out.add(new Verdict("media_sequence_regression", true, now, regressed));
            } else if (regression) {
                regression = false;
                out.add(new Verdict("media_sequence_regression", false, now, null));
            }
            if (p.mediaSequence() != mediaSequence || p.lastSequence() != lastSequence) {
                advancedNanos = now;
                if (stale) {
                    stale = false;
                    out.add(new Verdict("stale_playlist", false, now, null));
                }
            }
        }
        mediaSequence = p.mediaSequence();
        lastSequence = p.lastSequence();
        out.addAll(tick(now));
        return out;
    }

    /** Why this reload is out of order, or null. */
    private Map<String, Object> regression(MediaPlaylist p) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (p.mediaSequence() < mediaSequence || p.lastSequence() < lastSequence) {
            details.put("reason", DefectReason.BACKWARDS); // the first segment, or the last, is one listed before
        } else if (p.mediaSequence() > lastSequence + 1
                && !(p.segments().isEmpty() || p.segments().get(0).discontinuity())) {
            details.put("reason", DefectReason.SKIPPED);
            details.put("skippedSegments", p.mediaSequence() - lastSequence - 1);
        } else {
            return null;
        }
        details.put("from", mediaSequence);
        details.put("to", p.mediaSequence());
        return details;
    }

    /** Time passed: the playlist may have gone stale. */
    List<Verdict> tick(long now) {
        long limit = (long) (STALE_TARGET_DURATIONS * target * 1e9);
        if (stale || ended || mediaSequence < 0 || now - advancedNanos <= limit) {
            return List.of();
        }
        stale = true;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mediaSequence", mediaSequence);
        details.put("targetDuration", target);
        return List.of(new Verdict("stale_playlist", true, advancedNanos + limit, details));
    }

    /** The playlist could not be fetched: that is signal loss's to say, not staleness. */
    List<Verdict> unreachable(long now) {
        if (!stale) {
            return List.of();
        }
        stale = false;
        advancedNanos = now;
        return List.of(new Verdict("stale_playlist", false, now, null));
    }

    /** A segment was fetched from {@code start}, taking {@code seconds}. */
    List<Verdict> fetched(MediaPlaylist.Segment s, long start, double seconds, long now) {
        List<Verdict> out = new ArrayList<>();
        if (unavailable) {
            unavailable = false;
            out.add(new Verdict("segment_unavailable", false, now, null));
        }
        if (seconds > s.duration()) {
            slowSince = slowRun++ == 0 ? start : slowSince;
            if (slowRun >= SLOW_IN_A_ROW && !slow) {
                slow = true;
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("fetchSeconds", Math.round(seconds * 1000) / 1000.0);
                details.put("segmentDuration", s.duration());
                details.put("inARow", slowRun);
                out.add(new Verdict("slow_delivery", true, slowSince, details));
            }
        } else {
            slowRun = 0;
            if (slow) {
                slow = false;
                out.add(new Verdict("slow_delivery", false, now, null));
            }
        }
        return out;
    }

    /** A segment could not be fetched, after {@code retries} retries. */
    List<Verdict> failed(MediaPlaylist.Segment s, String segment, String error, int retries, long now) {
        unavailable = true;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sequence", s.sequence());
        details.put("segment", segment);
        details.put("error", error);
        details.put("retries", retries);
        return List.of(new Verdict("segment_unavailable", true, now, details));
    }

    boolean stale() {
        return stale;
    }
}
