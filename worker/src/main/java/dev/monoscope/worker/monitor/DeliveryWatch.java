package dev.monoscope.worker.monitor;

import dev.monoscope.worker.report.ReportState;
import dev.monoscope.worker.source.BoundedGet;
import dev.monoscope.worker.source.HlsCueTag;
import dev.monoscope.worker.source.MediaPlaylist;
import dev.monoscope.worker.source.SourceCredentials;
import dev.monoscope.worker.source.SourceFetchException;
import dev.monoscope.worker.source.SourceUrl;
import dev.monoscope.worker.source.TlsSettings;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The worker's own fetches of a live HLS source's media playlist (the variant it monitors) and of each new segment,
 * on a thread of its own: reloads every target duration (half of it while the playlist does not change, RFC 8216
 * §6.3.4), fetches each new segment into a counter (network time, not the decoder's pace; at most the newest three per
 * reload) with up to two retries, and hands the {@link DeliveryChecks} verdicts to the pipeline thread, the playlist's
 * new SCTE-35 tags to the cue detector, and its figures to the report's {@code delivery}. The segments are fetched a
 * second time besides the decoder's: the price of timing the network alone.
 */
final class DeliveryWatch implements AutoCloseable {

    /** The largest segment fetched (a 10 s segment at 100 Mb/s is 125 MB). */
    static final long MAX_SEGMENT_BYTES = 256L << 20;

    private static final int RETRIES = 2;
    private static final int NEWEST_SEGMENTS = 3;
    private static final int REMEMBERED_TAGS = 1000;
    private static final long STEP_NANOS = 100_000_000L;

    private final String url;
    private final TlsSettings tls;
    private final boolean checking;
    private final Consumer<HlsCueTag> cues;
    private final ReportState state;
    private final DeliveryChecks checks = new DeliveryChecks();
    private final ConcurrentLinkedQueue<DeliveryChecks.Verdict> verdicts = new ConcurrentLinkedQueue<>();
    private final Set<HlsCueTag> seenTags = new LinkedHashSet<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Thread thread;

    private volatile boolean stopped;
    private volatile boolean stale;
    /** The playlist advanced after it had gone stale, since {@link #resumed()} last said so. */
    private volatile boolean resumed;

    private long lastFetched = -1;
    private long lastListed = -1;
    private long lastReloadNanos = -1;

    /**
     * @param checking whether the delivery checks run (else only the cue tags are followed)
     * @param cues     where new SCTE-35 tags go; null when nobody follows them
     */
    DeliveryWatch(String url, TlsSettings tls, boolean checking, Consumer<HlsCueTag> cues, ReportState state) {
        this.url = url;
        this.tls = tls;
        this.checking = checking;
        this.cues = cues;
        this.state = state;
        thread = new Thread(this::run, "monoscope-delivery");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The verdicts found since the last call, oldest first (pipeline thread). */
    List<DeliveryChecks.Verdict> verdicts() {
        List<DeliveryChecks.Verdict> out = new java.util.ArrayList<>();
        for (DeliveryChecks.Verdict v; (v = verdicts.poll()) != null; ) {
            out.add(v);
        }
        return out;
    }

    /** Whether the playlist is reachable but stale now. */
    boolean stale() {
        return stale;
    }

    /** True once after the playlist advanced again following a stale period. */
    boolean resumed() {
        boolean r = resumed;
        resumed = false;
        return r;
    }

    private void run() {
        while (!stopped) {
            long start = System.nanoTime();
            double target = reload(start);
            long next = start + (long) (target * 1e9);
            while (!stopped && System.nanoTime() < next) {
                emit(checks.tick(System.nanoTime()));
                sleep(Math.min(STEP_NANOS, next - System.nanoTime()));
            }
        }
    }

    /** One reload and the new segments' fetches; returns the seconds until the next reload. */
    private double reload(long start) {
        MediaPlaylist p;
        try {
            p = MediaPlaylist.fetch(url, tls, Duration.ofSeconds(10), () -> stopped);
        } catch (SourceFetchException e) {
            emit(checks.unreachable(System.nanoTime()));
            return 1;
        }
        emit(checks.playlist(p, System.nanoTime()));
        followCues(p);
        figure("variant", SourceUrl.redact(p.uri().toString()));
        figure("mediaSequence", p.mediaSequence());
        figure("targetDurationSeconds", p.targetDuration());
        count("playlistReloads", 1);
        if (lastReloadNanos >= 0) {
            figure("reloadIntervalSeconds", Math.round((start - lastReloadNanos) / 1e6) / 1000.0);
        }
        lastReloadNanos = start;
        if (checking) {
            fetchNewSegments(p);
        }
        publish();
        boolean changed = p.lastSequence() != lastListed;
        lastListed = p.lastSequence();
        return changed ? p.targetDuration() : p.targetDuration() / 2;
    }

    private void fetchNewSegments(MediaPlaylist p) {
        List<MediaPlaylist.Segment> segments = p.segments();
        if (lastFetched > p.lastSequence()) {
            lastFetched = p.lastSequence() - 1; // the sequence went back: go on from its live edge
        }
        int from = Math.max(0, segments.size() - (lastFetched < 0 ? 1 : NEWEST_SEGMENTS));
        for (MediaPlaylist.Segment s : segments.subList(from, segments.size())) {
            if (s.sequence() <= lastFetched || stopped) {
                continue;
            }
            if (s.discontinuity()) {
                count("discontinuities", 1);
            }
            fetch(p, s);
            lastFetched = s.sequence();
        }
    }

    private void fetch(MediaPlaylist p, MediaPlaylist.Segment s) {
        String error = null;
        URI uri;
        SourceCredentials credentials;
        try {
            uri = p.uri().resolve(s.uri().replace(" ", "%20"));
            credentials = SourceCredentials.split(url).credentials();
        } catch (IllegalArgumentException e) {
            emit(checks.failed(s, s.uri(), "not a URI", 0, System.nanoTime()));
            return;
        }
        Duration deadline = Duration.ofMillis((long) (Math.max(5, 3 * p.targetDuration()) * 1000));
        for (int attempt = 0; attempt <= RETRIES && !stopped; attempt++) {
            long start = System.nanoTime();
            try {
                BoundedGet.count(uri, "segment", credentials, tls, deadline, MAX_SEGMENT_BYTES, () -> stopped);
                double seconds = (System.nanoTime() - start) / 1e9;
                count("segmentsFetched", 1);
                figure("segmentFetchSeconds", Math.round(seconds * 1000) / 1000.0);
                emit(checks.fetched(s, start, seconds, System.nanoTime()));
                return;
            } catch (SourceFetchException e) {
                error = SourceUrl.redact(e.getMessage());
                if (attempt < RETRIES) {
                    count("retries", 1);
                }
            }
        }
        if (!stopped) {
            count("segmentErrors", 1);
            emit(checks.failed(s, SourceUrl.redact(uri.toString()), error, RETRIES, System.nanoTime()));
        }
    }

    /** New SCTE-35 tags of the playlist (a tag stays listed while its segment does: told once). */
    private void followCues(MediaPlaylist p) {
        if (cues == null) {
            return;
        }
        for (HlsCueTag tag : p.cueTags()) {
            if (seenTags.add(tag)) {
                cues.accept(tag);
            }
        }
        while (seenTags.size() > REMEMBERED_TAGS) {
            seenTags.remove(seenTags.iterator().next());
        }
    }

    private void emit(List<DeliveryChecks.Verdict> found) {
        if (!checking) {
            return;
        }
        for (DeliveryChecks.Verdict v : found) {
            if (v.subtype().equals("stale_playlist")) {
                stale = v.defective();
                resumed = !v.defective();
            }
            verdicts.add(v);
        }
    }

    private void figure(String name, Object value) {
        figures.put(name, value);
    }

    private void count(String name, long n) {
        figures.merge(name, n, (a, b) -> (Long) a + (Long) b);
    }

    private void publish() {
        Map<String, Object> copy = new LinkedHashMap<>(figures);
        state.counters(r -> r.delivery = copy);
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
