package dev.monoscope.worker.source;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * An HLS media playlist as the delivery checks read it (RFC 8216 §4.3.3): target duration, media sequence, its
 * segments with their sequence numbers, durations and discontinuities, whether it ended, and its SCTE-35 cue tags.
 *
 * @param uri where it was read from (the variant's playlist when the source is a master playlist)
 */
public record MediaPlaylist(
        URI uri,
        double targetDuration,
        long mediaSequence,
        boolean ended,
        List<Segment> segments,
        List<HlsCueTag> cueTags) {

    /** One listed segment; {@code discontinuity}: an EXT-X-DISCONTINUITY precedes it. */
    public record Segment(long sequence, String uri, double duration, boolean discontinuity) {}

    /** The sequence number of the last segment listed (the media sequence less one when none is). */
    public long lastSequence() {
        return mediaSequence + segments.size() - 1;
    }

    /**
     * Reads the media playlist at {@code url}, following a master playlist to its first variant (as the decoder
     * does), within {@code deadline}; credentials in the URL's user-info go to its own origin only.
     *
     * @throws SourceFetchException when it cannot be fetched, or is not an HLS playlist
     */
    public static MediaPlaylist fetch(String url, TlsSettings tls, Duration deadline, BooleanSupplier stopped)
            throws SourceFetchException {
        SourceCredentials.Split split;
        try {
            split = SourceCredentials.split(url);
        } catch (IllegalArgumentException e) {
            throw new SourceFetchException(ErrorCategory.INVALID_DATA, "not a URL: " + SourceUrl.redact(url));
        }
        long end = System.nanoTime() + deadline.toNanos();
        URI uri = split.uri();
        for (int hops = 0; hops < 3; hops++) {
            Duration left = Duration.ofNanos(Math.max(1, end - System.nanoTime()));
            BoundedGet.Response response =
                    BoundedGet.get(uri, "playlist", split.credentials(), tls, left, Limits.MAX_PLAYLIST_BYTES, stopped);
            String body = new String(response.body(), StandardCharsets.UTF_8);
            HlsPlaylist.Parsed parsed = HlsPlaylist.parse(body);
            if (parsed.playlist() != null) {
                return parse(response.uri(), body);
            }
            if (parsed.variant() == null) {
                break;
            }
            uri = response.uri().resolve(parsed.variant());
        }
        throw new SourceFetchException(ErrorCategory.INVALID_DATA, "no HLS media playlist at " + SourceUrl.redact(url));
    }

    /** The playlist's lines, read as RFC 8216 has them; unknown tags are left alone. */
    static MediaPlaylist parse(URI uri, String body) {
        double target = Limits.MIN_TARGET_DURATION;
        long sequence = 0;
        boolean ended = false;
        List<String> lines = List.of(body.split("\r?\n"));
        for (String line : lines) {
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Limits.clampTargetDuration(number(line));
            } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                sequence = (long) number(line);
            } else if (line.startsWith("#EXT-X-ENDLIST") || line.startsWith("#EXT-X-PLAYLIST-TYPE:VOD")) {
                ended = true;
            }
        }
        List<Segment> segments = new ArrayList<>();
        List<HlsCueTag> cues = new ArrayList<>();
        double duration = Double.NaN;
        boolean discontinuity = false;
        for (String raw : lines) {
            String line = raw.trim();
            long next = sequence + segments.size();
            if (line.startsWith("#EXTINF:")) {
                duration = number(line.split(",", 2)[0]);
            } else if (line.startsWith("#EXT-X-DISCONTINUITY") && !line.startsWith("#EXT-X-DISCONTINUITY-")) {
                discontinuity = true;
            } else if (HlsCueTag.isCueTag(line)) {
                cues.add(HlsCueTag.of(line, next));
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                segments.add(new Segment(next, line, Double.isNaN(duration) ? target : duration, discontinuity));
                duration = Double.NaN;
                discontinuity = false;
            }
        }
        return new MediaPlaylist(uri, target, sequence, ended, List.copyOf(segments), List.copyOf(cues));
    }

    /** The number after a tag's colon; NaN when there is none. */
    private static double number(String line) {
        try {
            return Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return Double.NaN;
        }
    }
}
